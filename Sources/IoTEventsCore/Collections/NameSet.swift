/// A set of names, for membership tests: which variables some action sets, which ids a batch
/// has already used.
///
/// A `[String: Int]` underneath (each name with its position in insertion order), not a
/// `Set<String>` or a `[String: Bool]`: Embedded Swift copies the standard library's hash-table
/// code once per element type, and the library keys `[String: Int]` dictionaries anyway.
package struct NameSet {
    private var positions: [String: Int] = [:]

    package init() {}

    package var count: Int { positions.count }

    package func contains(_ name: String) -> Bool { positions[name] != nil }

    /// Adds `name`; false when it was already a member.
    @discardableResult
    package mutating func insert(_ name: String) -> Bool {
        if positions[name] != nil { return false }
        positions[name] = positions.count
        return true
    }
}
