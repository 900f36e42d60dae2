/// BatchPutMessage's message-id de-duplication (docs/behaviour.md §6.1): a message whose id equals one
/// *accepted* within the last `window` milliseconds is ignored. Engine-wide scope. An ignored
/// duplicate does not restart the window; a message exactly `window` after the accepted one is new.
///
/// Ids expire in acceptance order, so a FIFO of (time, id) beside a dictionary keeps both the
/// check and the expiry O(1) amortised, with memory bounded by the ids of one window, and by a
/// count (`limits.maxDedupEntries`): past it the oldest ids are forgotten before their window
/// ends (at 100 K messages/s a 300-second window alone would hold 30 M ids; with a manual clock
/// that is never ticked it would never end).
package struct MessageDeduplicator {
    private var acceptedAt: [String: Millis] = [:]
    private var order: [(time: Millis, id: String)] = []
    private var head = 0

    package init() {}

    package var count: Int { acceptedAt.count }

    /// Whether `id` was accepted less than `window` ms before `now`.
    package mutating func isDuplicate(_ id: String, now: Millis, window: Millis) -> Bool {
        expire(now: now, window: window)
        return acceptedAt[id] != nil
    }

    /// Records `id` as accepted at `now`, forgetting the oldest ids beyond `maxEntries`.
    package mutating func accept(_ id: String, now: Millis, window: Millis, maxEntries: Int) {
        guard window > 0 else { return }
        expire(now: now, window: window)
        acceptedAt[id] = now
        order.append((now, id))
        while acceptedAt.count > maxEntries, head < order.count {
            forgetOldest()
        }
        compact()
    }

    /// The ids still remembered, oldest first (for snapshots).
    package var snapshotEntries: [(time: Millis, id: String)] {
        var live: [(time: Millis, id: String)] = []
        for i in head..<order.count where acceptedAt[order[i].id] == order[i].time { live.append(order[i]) }
        return live
    }

    /// Remembers a snapshot's ids again, oldest first.
    package mutating func restore(_ entries: [(time: Millis, id: String)]) {
        acceptedAt = [:]
        order = entries
        head = 0
        for entry in entries { acceptedAt[entry.id] = entry.time }
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
        if acceptedAt[entry.id] == entry.time { acceptedAt[entry.id] = nil }
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
