/// One resource tag.
package struct ResourceTag: Equatable, Sendable {
    package var key: String
    package var value: String

    package init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A resource's tags: unique keys, kept in the order they were first set.
package struct TagSet: Equatable, Sendable {
    /// AWS allows 50 tags on one resource.
    package static let maximumCount = 50

    package private(set) var tags: [ResourceTag] = []

    package init() {}

    /// The set after applying `new` (later entries win over earlier ones with the same key).
    package func merging(_ new: [ResourceTag]) -> TagSet {
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
    package mutating func remove(keys: [String]) {
        tags.removeAll { tag in keys.contains(tag.key) }
    }

    package var count: Int { tags.count }
}
