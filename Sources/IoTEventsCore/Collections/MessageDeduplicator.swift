/// BatchPutMessage's message-id de-duplication (docs/behaviour.md §6.1): a message whose id equals one
/// *accepted* within the last `window` milliseconds is ignored. Engine-wide scope. An ignored
/// duplicate does not restart the window; a message exactly `window` after the accepted one is new.
///
/// Ids expire in acceptance order, so a FIFO of (time, id) beside a dictionary keeps both the
/// check and the expiry O(1) amortised, with memory bounded by the ids of one window, and by a
/// count (`limits.maxDedupEntries`): past it the oldest ids are forgotten before their window
/// ends (at 100 K messages/s a 300-second window alone would hold 30 M ids; with a manual clock
/// that is never ticked it would never end).
///
/// A message's id is looked up once: `claim` checks and records it in one dictionary operation
/// before the message is delivered; `settle` then applies the count (no lookup), or `withdraw`
/// forgets it again when the message failed, leaving the state as if it had never been claimed.
package struct MessageDeduplicator {
    private var acceptedAt: [MessageIDKey: Millis] = [:]
    private var order: [(time: Millis, id: MessageIDKey)] = []
    private var head = 0

    package init() {}

    package var count: Int { acceptedAt.count }

    /// Whether `id` was accepted less than `window` ms before `now` (changes nothing but expiry).
    package mutating func isDuplicate(_ id: String, now: Millis, window: Millis) -> Bool {
        expire(now: now, window: window)
        return acceptedAt[MessageIDKey(id)] != nil
    }

    /// false when `id` was accepted less than `window` ms before `now` (a duplicate: nothing
    /// changes). Otherwise `id` is recorded as accepted at `now` and true returned; the caller
    /// then calls `settle` once the message is accepted, or `withdraw` when it failed.
    package mutating func claim(_ id: String, now: Millis, window: Millis) -> Bool {
        expire(now: now, window: window)
        guard window > 0 else { return true }
        let key = MessageIDKey(id)
        if let earlier = acceptedAt.updateValue(now, forKey: key) {
            acceptedAt[key] = earlier // an ignored duplicate does not restart the window
            return false
        }
        order.append((now, key))
        return true
    }

    /// Forgets the oldest ids beyond `maxEntries`, after a claimed message was accepted.
    package mutating func settle(maxEntries: Int) {
        while acceptedAt.count > maxEntries, head < order.count {
            forgetOldest()
        }
        compact()
    }

    /// Forgets the id of the last `claim` (its message failed).
    package mutating func withdraw(_ id: String) {
        guard head < order.count, order[order.count - 1].id.text == id else { return }
        let last = order.removeLast()
        acceptedAt[last.id] = nil
    }

    /// Claims and settles `id` (a message accepted outright).
    package mutating func accept(_ id: String, now: Millis, window: Millis, maxEntries: Int) {
        if claim(id, now: now, window: window) { settle(maxEntries: maxEntries) }
    }

    /// The ids still remembered, oldest first (for snapshots).
    package var snapshotEntries: [(time: Millis, id: String)] {
        var live: [(time: Millis, id: String)] = []
        for i in head..<order.count where acceptedAt[order[i].id] == order[i].time { live.append((order[i].time, order[i].id.text)) }
        return live
    }

    /// Remembers a snapshot's ids again, oldest first.
    package mutating func restore(_ entries: [(time: Millis, id: String)]) {
        acceptedAt = [:]
        order = []
        order.reserveCapacity(entries.count)
        head = 0
        for entry in entries {
            let key = MessageIDKey(entry.id)
            order.append((entry.time, key))
            acceptedAt[key] = entry.time
        }
    }

    private mutating func expire(now: Millis, window: Millis) {
        // Times come from snapshots and ticks: a difference that does not fit is long expired.
        while head < order.count, case let (age, overflow) = now.subtractingReportingOverflow(order[head].time), overflow || age >= window {
            forgetOldest()
        }
        compact()
    }

    private mutating func forgetOldest() {
        let entry = order[head]
        if let index = acceptedAt.index(forKey: entry.id), acceptedAt.values[index] == entry.time {
            acceptedAt.remove(at: index)
        }
        head += 1
    }

    /// Drops the consumed prefix now and then, so the FIFO does not grow forever.
    private mutating func compact() {
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}

/// A message id with its hash computed once: each dictionary operation then hashes one integer
/// instead of the id's bytes, and growing the dictionary rehashes integers. The hash is Swift's
/// own (seeded per process), so ids chosen to collide are no cheaper than with String keys.
struct MessageIDKey: Hashable {
    let text: String
    let hash: Int

    init(_ text: String) {
        self.text = text
        hash = text.hashValue
    }

    static func == (a: MessageIDKey, b: MessageIDKey) -> Bool { a.hash == b.hash && a.text == b.text }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    /// What the dictionary asks for a bucket: the cached hash, already SipHash under the
    /// process's seed, mixed with the dictionary's own seed by a multiply-xorshift instead of
    /// hashing it again (a second SipHash per lookup, and per entry on every growth). Ids chosen
    /// to collide still cannot be found without the process's seed.
    func _rawHashValue(seed: Int) -> Int {
        var x = UInt64(truncatingIfNeeded: hash ^ seed)
        x ^= x >> 32
        x &*= 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        return Int(truncatingIfNeeded: x) // the low bits: Int is 32 bits on 32-bit targets
    }
}
