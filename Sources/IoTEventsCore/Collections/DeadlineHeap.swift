/// A min-heap of deadlines: what fires next, in O(log n) per insertion and removal.
///
/// Entries are never searched for: cancelling a timer bumps its owner's generation, and an entry
/// whose generation is stale is dropped when it reaches the top (lazy deletion). So re-arming a
/// timer costs at most one push (detector timers re-armed later keep theirs: `DetectorCycle.arm`),
/// and no operation ever scans all timers. Ties in `deadline` come out in `sequence` order:
/// insertion order, or the caller's (a detector timer's arming), which keeps expiry processing
/// deterministic.
package struct DeadlineHeap<Payload> {
    package struct Entry {
        package let deadline: Millis
        package let sequence: UInt64
        package let payload: Payload

        package init(deadline: Millis, sequence: UInt64, payload: Payload) {
            self.deadline = deadline
            self.sequence = sequence
            self.payload = payload
        }
    }

    private var entries: [Entry] = []
    private var nextSequence: UInt64 = 0

    package init() {}

    package var count: Int { entries.count }
    package var isEmpty: Bool { entries.isEmpty }

    /// The earliest entry, if any (it may be stale: the owner decides).
    package var first: Entry? { entries.first }

    package mutating func push(deadline: Millis, _ payload: Payload) {
        push(deadline: deadline, sequence: nextSequence, payload)
        nextSequence &+= 1
    }

    /// With the caller's own order for ties (detector timers: their arming's generation).
    package mutating func push(deadline: Millis, sequence: UInt64, _ payload: Payload) {
        entries.append(Entry(deadline: deadline, sequence: sequence, payload: payload))
        siftUp(entries.count - 1)
    }

    /// Removes and returns the earliest entry if it is due at or before `time`.
    package mutating func popDue(at time: Millis) -> Entry? {
        guard let top = entries.first, top.deadline <= time else { return nil }
        return popFirst()
    }

    package mutating func popFirst() -> Entry? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        if !entries.isEmpty { siftDown(0) }
        return top
    }

    /// Keeps only the entries `keep` accepts, then restores the heap order in O(n). The kept ones
    /// are swapped to the front in place and `keep` reads each where it lies (through the buffer:
    /// `removeAll(where:)` and the array's subscript copied every entry, retaining what its
    /// payload holds, to ask about it).
    package mutating func retain(where keep: (Payload) -> Bool) {
        let kept = entries.withUnsafeMutableBufferPointer { buffer -> Int in
            var kept = 0
            for i in 0..<buffer.count where keep(buffer[i].payload) {
                if kept != i { buffer.swapAt(kept, i) }
                kept += 1
            }
            return kept
        }
        while entries.count > kept { entries.removeLast() }
        var i = entries.count / 2
        while i > 0 {
            i -= 1
            siftDown(i)
        }
    }

    package mutating func removeAll() {
        entries.removeAll()
    }

    /// Every entry, in no particular order, and the next sequence number (for snapshots).
    package var snapshotEntries: [Entry] { entries }
    package var sequenceCounter: UInt64 { nextSequence }

    /// Rebuilds the heap from a snapshot's entries: the same pop order, ties included.
    package mutating func restore(_ restored: [Entry], sequenceCounter: UInt64) {
        entries = restored
        nextSequence = sequenceCounter
        retain { _ in true }
    }

    /// Whether entry `a` comes out before entry `b`. By index, so that comparing reads two
    /// integers of each entry instead of copying entries (and retaining their payloads).
    private func before(_ a: Int, _ b: Int) -> Bool {
        let x = entries[a].deadline, y = entries[b].deadline
        return x != y ? x < y : entries[a].sequence < entries[b].sequence
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard before(child, parent) else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        let n = entries.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { return }
            var best = left
            if left + 1 < n, before(left + 1, left) { best = left + 1 }
            guard before(best, parent) else { return }
            entries.swapAt(best, parent)
            parent = best
        }
    }
}
