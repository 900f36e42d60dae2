/// A model's instance: a detector or an alarm, named by its key ("" for a keyless model's one).
protocol KeyedInstance {
    var key: String { get }
    /// The state its listings can filter by (ListDetectors' `stateName`), or nil when its
    /// listings never filter (alarms): the table then keeps no per-state index.
    var listedState: Int? { get }
}

/// The instances (detectors or alarms) of one model: found by key in O(1), listed in key order a
/// page at a time.
///
/// Instances live in a slot array (so the runtime mutates one in place); a dictionary maps keys to
/// slots and a `SortedKeyIndex` keeps the listing order. Freed slots are reused.
///
/// Instances with a `listedState` can also be indexed by it, so that a listing filtered by
/// state pages through that state's keys alone, at a cost that does not grow with the other
/// states' detectors (a scan of a million took 274 ms). The index is built by the first filtered
/// listing, in one pass over the sorted keys, and kept from then on: until a host filters, a
/// transition pays nothing for it (keeping it costs two sorted-index updates, ~1 200
/// instructions, per transition). The state each slot is indexed under is kept beside it, since
/// `take` empties the slot before the runtime changes the state.
///
/// A class, owned by its model and never copied: read through the model (a class too), a struct
/// table was copied for every lookup, retaining and releasing each of its buffers.
final class InstanceTable<Instance: KeyedInstance> {
    private var slots: [Instance?] = []
    private var slotOf: [String: Int] = [:]
    private var freeSlots: [Int] = []
    private(set) var sortedKeys = SortedKeyIndex()
    private var statesIndexed = false
    private var indexedState: [Int] = []
    private var keysByState: [SortedKeyIndex] = []

    init() {}

    var count: Int { slotOf.count }

    func slot(of key: String) -> Int? { slotOf[key] }

    /// The slot of `key`, trying `hint` first (a slot it was in): no hashing when it is still there.
    func slot(of key: String, hint: Int) -> Int? {
        if hint >= 0, hint < slots.count, let k = slots[hint]?.key, k == key { return hint }
        return slotOf[key]
    }

    subscript(slot: Int) -> Instance? { slots[slot] }

    func instance(_ key: String) -> Instance? {
        guard let slot = slotOf[key] else { return nil }
        return slots[slot]
    }

    func insert(_ instance: Instance) -> Int {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = instance
        } else {
            slot = slots.count
            slots.append(instance)
        }
        slotOf[instance.key] = slot
        sortedKeys.insert(instance.key)
        if statesIndexed { indexState(instance, slot: slot, previous: nil) }
        return slot
    }

    /// The keys of the instances in `state`, in listing order (empty when none is). The first
    /// call builds the index of every state.
    func keys(inState state: Int) -> SortedKeyIndex {
        if !statesIndexed { buildStateIndex() }
        return state >= 0 && state < keysByState.count ? keysByState[state] : SortedKeyIndex()
    }

    /// Every key filed under its instance's state, in key order (so each state's index is
    /// appended to, never searched).
    private func buildStateIndex() {
        statesIndexed = true
        indexedState = Array(repeating: -1, count: slots.count)
        keysByState = []
        sortedKeys.forEach { key in
            guard let slot = slotOf[key], let state = slots[slot]?.listedState, state >= 0 else { return }
            while state >= keysByState.count { keysByState.append(SortedKeyIndex()) }
            keysByState[state].append(key)
            indexedState[slot] = state
        }
    }

    /// Files `instance` (in `slot`) under its state, moving it from `previous` when that differs.
    private func indexState(_ instance: Instance, slot: Int, previous: Int?) {
        guard let state = instance.listedState, state != previous else { return }
        while slot >= indexedState.count { indexedState.append(-1) }
        if let previous, previous >= 0, previous < keysByState.count { keysByState[previous].remove(instance.key) }
        while state >= keysByState.count { keysByState.append(SortedKeyIndex()) }
        keysByState[state].insert(instance.key)
        indexedState[slot] = state
    }

    private func stateIndexed(at slot: Int) -> Int? {
        slot < indexedState.count && indexedState[slot] >= 0 ? indexedState[slot] : nil
    }

    /// Moves the instance out of its slot, for the runtime to work on; `put` returns it.
    func take(_ slot: Int) -> Instance? {
        // Swapped out, not copied: a copy retains every buffer of the instance, and emptying
        // the slot then releases them again.
        var taken: Instance? = nil
        swap(&taken, &slots[slot])
        return taken
    }

    func put(_ instance: consuming Instance, at slot: Int) {
        if statesIndexed, let state = instance.listedState, state != stateIndexed(at: slot) {
            indexState(instance, slot: slot, previous: stateIndexed(at: slot))
        }
        slots[slot] = instance
    }

    @discardableResult
    func remove(_ key: String) -> Instance? {
        guard let slot = slotOf.removeValue(forKey: key) else { return nil }
        let d = slots[slot]
        slots[slot] = nil
        freeSlots.append(slot)
        sortedKeys.remove(key)
        if statesIndexed, let state = stateIndexed(at: slot) {
            if state < keysByState.count { keysByState[state].remove(key) }
            indexedState[slot] = -1
        }
        return d
    }

    /// Calls `body` on every instance in slot order, without copying the table.
    func forEach(_ body: (Instance) -> Void) {
        for case let instance? in slots { body(instance) }
    }

    func removeAll() {
        slots = []
        slotOf = [:]
        freeSlots = []
        sortedKeys = SortedKeyIndex()
        statesIndexed = false
        indexedState = []
        keysByState = []
    }
}

typealias DetectorTable = InstanceTable<Detector>

extension Detector: KeyedInstance {
    var listedState: Int? { state }
}

extension Alarm {
    var listedState: Int? { nil }
}

extension InstanceTable where Instance == Detector {
    /// Whether the detector in `slot` has timer `timer` running with its queue entry of
    /// `queued` (`DetectorTimer.queued`), read in place.
    func timerIsRunning(at slot: Int, timer: Int, queued: UInt64) -> Bool {
        let t = self.timer(at: slot, timer)
        return t.queued == queued && t.deadline != nil
    }

    /// Timer `timer` of the detector in `slot`, read in place (not copying the detector).
    func timer(at slot: Int, _ timer: Int) -> DetectorTimer {
        slots[slot]?.timer(timer) ?? DetectorTimer()
    }

    /// When timer `timer` of the detector in `slot` was re-armed to after `due` while its entry
    /// was queued: the entry now stands for the latest arming (its deadline and generation,
    /// returned for the new entry). nil when the timer is due at `due`.
    func requeue(at slot: Int, timer: Int, due: Millis) -> (deadline: Millis, generation: UInt64)? {
        guard let t = slots[slot]?.timer(timer), let deadline = t.deadline, deadline > due else { return nil }
        slots[slot]?.timers[timer].queued = t.generation
        return (deadline, t.generation)
    }

    /// Running timers over all detectors (a scan, without copying them: used when a whole table
    /// is dropped).
    var runningTimerTotal: Int {
        var n = 0
        forEach { n += $0.runningTimerCount }
        return n
    }

    func detector(_ key: String) -> Detector? { instance(key) }
}
