/// Expiries: detector timers (and, with alarms, snoozes), in deadline order (docs/behaviour.md §4.3).
extension Engine {
    /// Fires the earliest expiry due at or before `time`, if there is one: a detector timer or
    /// an alarm's snooze end (at the same instant, detector timers first). Returns false when
    /// nothing is due. `process` (Engine+Triggers.swift) loops, delivering loop-backs between expiries.
    func fireNextDueTimer(at now: Millis, output: inout RunOutput) -> Bool {
        // A deadline saturated at the end of time (Millis.max) is never due: a timer that re-arms
        // on its own expiry would be due again at the same instant, and a tick at INT64_MAX
        // would never end.
        let time = min(now, Millis.max - 1)
        // Asked before every message: when neither queue's top is due, nothing is (every entry,
        // live or stale, is at or after its queue's top), so answer in O(1) and leave stale
        // entries that are not yet due where they are: they go when they reach the top once
        // due, or with the sweep (`sweepStaleTimerEntries`).
        guard (timerQueue.first?.deadline ?? Millis.max) <= time || (snoozeQueue.first?.deadline ?? Millis.max) <= time else {
            return false
        }
        let timerDue = nextTimerDeadline()
        let snoozeDue = nextSnoozeDeadline()
        if let t = timerDue, t <= time, snoozeDue.map({ t <= $0 }) ?? true {
            return fireNextDetectorTimer(at: time, output: &output)
        }
        if let s = snoozeDue, s <= time, let entry = snoozeQueue.popFirst() {
            return endSnooze(entry.payload, at: entry.deadline, output: &output)
        }
        return false
    }

    /// The earliest detector timer due: the timer vanishes from its detector, its `timeout()`
    /// mark is set, and the detector's current state runs `onInput` with a Timer trigger whose
    /// event time is the due time.
    private func fireNextDetectorTimer(at time: Millis, output: inout RunOutput) -> Bool {
        while let entry = timerQueue.popDue(at: time) {
            let e = entry.payload
            // Checked in place, then moved out of its slot: a copy would share every buffer of
            // the detector, and its first change during the cycle would copy them all.
            guard let slot = liveSlot(e) else { continue }
            if requeueIfRearmed(entry, slot: slot) { continue }
            guard var detector = e.model.detectors.take(slot) else { continue }
            var timer = detector.timer(e.timer)
            timer.deadline = nil
            timer.pendingTimeout = true
            detector.setTimer(e.timer, timer)
            runningTimers -= 1
            // An expiry left due by an earlier call's evaluation budget fires after triggers of
            // later instants; the detector's update time does not go back for it.
            detector.lastUpdateTime = max(detector.lastUpdateTime, entry.deadline)
            let version = e.model.latest
            let name = e.timer < version.timerNames.count ? version.timerNames[e.timer] : ""
            output.timersFired += 1
            run(e.model, version, consume detector, at: slot, trigger: .timer(id: e.timer, name: name),
                eventTime: entry.deadline, now: entry.deadline, depth: 0, created: false, output: &output)
            return true
        }
        return false
    }

    /// The earliest pending expiry (timer or snooze), if any.
    package func nextDeadline() -> Millis? {
        let t = nextTimerDeadline()
        let s = nextSnoozeDeadline()
        guard let t else { return s }
        guard let s else { return t }
        return min(t, s)
    }

    /// The earliest live detector timer; stale entries at the top are dropped first, and the
    /// entries of timers re-armed to later deadlines are moved there, so the answer is a timer's
    /// own deadline.
    private func nextTimerDeadline() -> Millis? {
        while let top = timerQueue.first {
            // Read once: each `top.payload` below copied the whole entry again.
            let e = top.payload
            if let slot = liveSlot(e) {
                guard let deadline = e.model.detectors.timer(at: slot, e.timer).deadline,
                      deadline > top.deadline, let moved = timerQueue.popFirst() else { return top.deadline }
                _ = requeueIfRearmed(moved, slot: slot)
                continue
            }
            _ = timerQueue.popFirst()
        }
        return nil
    }

    /// A live entry taken off the queue whose timer was re-armed to a later deadline while it
    /// waited (`DetectorCycle.arm`): queued again at that deadline, in the order of that arming.
    private func requeueIfRearmed(_ entry: DeadlineHeap<TimerEntry>.Entry, slot: Int) -> Bool {
        let e = entry.payload
        guard let later = e.model.detectors.requeue(at: slot, timer: e.timer, due: entry.deadline) else { return false }
        timerQueue.push(deadline: later.deadline, sequence: later.generation,
                        TimerEntry(model: e.model, key: e.key, slot: slot, timer: e.timer, generation: later.generation))
        return true
    }

    private func nextSnoozeDeadline() -> Millis? {
        while let top = snoozeQueue.first {
            if isLive(top.payload) { return top.deadline }
            _ = snoozeQueue.popFirst()
        }
        return nil
    }

    func isLive(_ e: TimerEntry) -> Bool { liveSlot(e) != nil }

    /// The slot of the entry's detector when the entry is its timer's queued one and the timer
    /// runs; nil for a stale entry (the one place that decides it).
    func liveSlot(_ e: TimerEntry) -> Int? {
        guard e.model.isLive, let slot = e.model.detectors.slot(of: e.key, hint: e.slot),
              e.model.detectors.timerIsRunning(at: slot, timer: e.timer, queued: e.generation) else { return nil }
        return slot
    }

    /// Re-arming a timer leaves its old entry in the queue until it surfaces. When stale entries
    /// outnumber the running timers (plus slack), drop them all in one pass, so the queue stays
    /// proportional to the timers that exist.
    func sweepStaleTimerEntries() {
        guard timerQueue.count > 2 * runningTimers + 1024 else { return }
        timerQueue.retain { isLive($0) }
    }
}
