/// Expiries: detector timers (and, with alarms, snoozes), in deadline order (semantics.md §4.3).
extension Engine {
    /// Fires the earliest timer due at or before `time`, if there is one: the timer vanishes from
    /// its detector, its `timeout()` mark is set, and the detector's current state runs `onInput`
    /// with a Timer trigger whose event time is the due time. Returns false when nothing is due.
    /// The caller loops (and delivers loop-backs between expiries).
    public func fireNextDueTimer(at time: Millis, output: inout RunOutput) -> Bool {
        while let entry = timerQueue.popDue(at: time) {
            let e = entry.payload
            guard e.model.isLive, let slot = e.model.detectors.slot(of: e.key), let current = e.model.detectors[slot] else { continue }
            var timer = current.timer(e.timer)
            guard timer.generation == e.generation, timer.deadline != nil else { continue }
            guard var detector = e.model.detectors.take(slot) else { continue }
            timer.deadline = nil
            timer.pendingTimeout = true
            detector.setTimer(e.timer, timer)
            runningTimers -= 1
            detector.lastUpdateTime = entry.deadline
            let version = e.model.latest
            let name = e.timer < version.timerNames.count ? version.timerNames[e.timer] : ""
            run(e.model, version, detector, at: slot, trigger: .timer(id: e.timer, name: name),
                eventTime: entry.deadline, now: entry.deadline, depth: 0, created: false, output: &output)
            return true
        }
        return false
    }

    /// The earliest pending expiry, if any. Stale queue entries at the top are dropped first.
    public func nextDeadline() -> Millis? {
        while let top = timerQueue.first {
            if isLive(top.payload) { return top.deadline }
            _ = timerQueue.popFirst()
        }
        return nil
    }

    private func isLive(_ e: TimerEntry) -> Bool {
        guard e.model.isLive, let d = e.model.detectors.detector(e.key) else { return false }
        let timer = d.timer(e.timer)
        return timer.generation == e.generation && timer.deadline != nil
    }

    /// Re-arming a timer leaves its old entry in the queue until it surfaces. When stale entries
    /// outnumber the running timers (plus slack), drop them all in one pass, so the queue stays
    /// proportional to the timers that exist.
    func sweepStaleTimerEntries() {
        guard timerQueue.count > 2 * runningTimers + 1024 else { return }
        timerQueue.retain { isLive($0) }
    }
}
