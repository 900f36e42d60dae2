/// The detectors of one model: found by key in O(1), listed in key order a page at a time.
///
/// Detectors live in a slot array (so the runtime mutates one in place); a dictionary maps keys to
/// slots and a `SortedKeyIndex` keeps the listing order. Freed slots are reused.
struct DetectorTable {
    private var slots: [Detector?] = []
    private var slotOf: [String: Int] = [:]
    private var freeSlots: [Int] = []
    private(set) var sortedKeys = SortedKeyIndex()

    var count: Int { slotOf.count }

    func slot(of key: String) -> Int? { slotOf[key] }

    subscript(slot: Int) -> Detector? { slots[slot] }

    func detector(_ key: String) -> Detector? {
        guard let slot = slotOf[key] else { return nil }
        return slots[slot]
    }

    mutating func insert(_ detector: Detector) -> Int {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = detector
        } else {
            slot = slots.count
            slots.append(detector)
        }
        slotOf[detector.key] = slot
        sortedKeys.insert(detector.key)
        return slot
    }

    /// Moves the detector out of its slot, for the runtime to work on; `put` returns it.
    mutating func take(_ slot: Int) -> Detector? {
        let d = slots[slot]
        slots[slot] = nil
        return d
    }

    mutating func put(_ detector: Detector, at slot: Int) {
        slots[slot] = detector
    }

    @discardableResult
    mutating func remove(_ key: String) -> Detector? {
        guard let slot = slotOf.removeValue(forKey: key) else { return nil }
        let d = slots[slot]
        slots[slot] = nil
        freeSlots.append(slot)
        sortedKeys.remove(key)
        return d
    }

    /// Running timers over all detectors (a scan, without copying them: used when a whole table
    /// is dropped).
    var runningTimerTotal: Int {
        var n = 0
        for case let d? in slots { n += d.runningTimerCount }
        return n
    }

    mutating func removeAll() {
        self = DetectorTable()
    }
}
