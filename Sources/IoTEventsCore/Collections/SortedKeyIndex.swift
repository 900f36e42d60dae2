/// Keys kept in byte order, for listings that page through a million detectors at a cost that
/// does not grow with their number.
///
/// A two-level layout: sorted chunks of at most `chunkCapacity` keys, themselves in order.
/// Finding a key is a binary search over the chunks' last keys, then within one chunk; an
/// insertion or removal moves at most one chunk's worth of keys (a chunk splits when full and is
/// dropped when empty). With 1,000,000 keys that is ~2,000 chunks of ≤ 1,024: O(log n) to find,
/// O(chunk) to change, O(page) to list a page.
package struct SortedKeyIndex {
    package static let chunkCapacity = 1024

    private var chunks: [[String]] = []
    package private(set) var count = 0

    package init() {}

    /// Inserts `key`; returns false when it was already present.
    @discardableResult
    package mutating func insert(_ key: String) -> Bool {
        guard !chunks.isEmpty else {
            chunks.append([key])
            count = 1
            return true
        }
        let c = chunkIndex(for: key)
        let i = ByteOrder.lowerBound(chunks[c], key)
        if i < chunks[c].count, chunks[c][i] == key { return false }
        chunks[c].insert(key, at: i)
        count += 1
        if chunks[c].count > SortedKeyIndex.chunkCapacity {
            let half = chunks[c].count / 2
            let upper = Array(chunks[c][half...])
            chunks[c].removeSubrange(half...)
            chunks.insert(upper, at: c + 1)
        }
        return true
    }

    /// Adds `key`, which must follow every key present (building an index from keys already in
    /// order); a key out of order is inserted where it belongs.
    package mutating func append(_ key: String) {
        guard let lastChunk = chunks.last, let last = lastChunk.last else {
            chunks.append([key])
            count += 1
            return
        }
        guard ByteOrder.less(last, key) else { insert(key); return }
        if lastChunk.count >= SortedKeyIndex.chunkCapacity {
            chunks.append([key])
        } else {
            chunks[chunks.count - 1].append(key)
        }
        count += 1
    }

    /// Calls `body` with every key, in order.
    package func forEach(_ body: (String) -> Void) {
        for chunk in chunks { for key in chunk { body(key) } }
    }

    /// Removes `key`; returns false when it was not present.
    @discardableResult
    package mutating func remove(_ key: String) -> Bool {
        guard !chunks.isEmpty else { return false }
        let c = chunkIndex(for: key)
        let i = ByteOrder.lowerBound(chunks[c], key)
        guard i < chunks[c].count, chunks[c][i] == key else { return false }
        chunks[c].remove(at: i)
        count -= 1
        if chunks[c].isEmpty { chunks.remove(at: c) }
        return true
    }

    package func contains(_ key: String) -> Bool {
        guard !chunks.isEmpty else { return false }
        let c = chunkIndex(for: key)
        let i = ByteOrder.lowerBound(chunks[c], key)
        return i < chunks[c].count && chunks[c][i] == key
    }

    /// Up to `limit` keys after `after` (from the start when nil), and whether any key follows.
    package func page(after: String?, limit: Int) -> (keys: [String], more: Bool) {
        var result: [String] = []
        guard !chunks.isEmpty, limit > 0 else { return (result, false) }
        var c = 0
        var i = 0
        if let after {
            c = chunkIndex(for: after)
            i = ByteOrder.lowerBound(chunks[c], after)
            if i < chunks[c].count, chunks[c][i] == after { i += 1 }
        }
        while c < chunks.count {
            while i < chunks[c].count {
                if result.count == limit { return (result, true) }
                result.append(chunks[c][i])
                i += 1
            }
            c += 1
            i = 0
        }
        return (result, false)
    }

    /// The chunk that holds `key` or would: the first whose last key is not below it, else the last.
    private func chunkIndex(for key: String) -> Int {
        var lo = 0
        var hi = chunks.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if let last = chunks[mid].last, ByteOrder.less(last, key) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
