/// Resources of one kind by name, listed in ascending name order.
///
/// Names are compared as UTF-8 bytes (they are ASCII by the service model's patterns), which
/// gives the stable order the pagination cursors rely on. Sized for inputs and models (tens to
/// hundreds); detectors, which can number a million, get their own index.
package struct NamedRegistry<Value> {
    private var values: [String: Value] = [:]
    private var sortedNames: [String] = []

    package init() {}

    package var count: Int { values.count }

    package subscript(name: String) -> Value? {
        get { values[name] }
    }

    package func contains(_ name: String) -> Bool { values[name] != nil }

    /// Adds or replaces the value stored under `name`.
    package mutating func set(_ name: String, _ value: Value) {
        if values.updateValue(value, forKey: name) == nil {
            sortedNames.insert(name, at: insertionIndex(of: name))
        }
    }

    package mutating func remove(_ name: String) {
        guard values.removeValue(forKey: name) != nil else { return }
        let i = insertionIndex(of: name)
        if i < sortedNames.count, sortedNames[i] == name { sortedNames.remove(at: i) }
    }

    /// Up to `limit` values whose names sort after `after` (all names when nil), and whether more
    /// follow the last one returned.
    package func page(after: String?, limit: Int) -> (values: [Value], more: Bool) {
        var i = 0
        if let after {
            i = insertionIndex(of: after)
            if i < sortedNames.count, sortedNames[i] == after { i += 1 }
        }
        var result: [Value] = []
        while i < sortedNames.count, result.count < limit {
            if let value = values[sortedNames[i]] { result.append(value) }
            i += 1
        }
        return (result, i < sortedNames.count)
    }

    /// Every value, in name order.
    package var all: [Value] { page(after: nil, limit: Int.max).values }

    private func insertionIndex(of name: String) -> Int {
        ByteOrder.lowerBound(sortedNames, name)
    }
}

/// Byte-wise (UTF-8) ordering of strings: deterministic, locale- and Unicode-table-free.
package enum ByteOrder {
    package static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// The first index of sorted `keys` whose key is not below `key`.
    package static func lowerBound(_ keys: [String], _ key: String) -> Int {
        var lo = 0
        var hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if less(keys[mid], key) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

extension NamedRegistry: Sendable where Value: Sendable {}
