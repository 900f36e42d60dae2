/// One resource tag.
public struct ResourceTag: Equatable, Sendable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A resource's tags: unique keys, kept in the order they were first set.
public struct TagSet: Equatable, Sendable {
    /// AWS allows 50 tags on one resource.
    public static let maximumCount = 50

    public private(set) var tags: [ResourceTag] = []

    public init() {}

    /// The set after applying `new` (later entries win over earlier ones with the same key).
    public func merging(_ new: [ResourceTag]) -> TagSet {
        var result = self
        for tag in new {
            if let i = result.tags.firstIndex(where: { $0.key == tag.key }) {
                result.tags[i].value = tag.value
            } else {
                result.tags.append(tag)
            }
        }
        return result
    }

    /// Removes the tags with these keys; keys that are not set are ignored, as AWS does.
    public mutating func remove(keys: [String]) {
        tags.removeAll { tag in keys.contains(tag.key) }
    }

    public var count: Int { tags.count }
}
