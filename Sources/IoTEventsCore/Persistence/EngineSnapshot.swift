/// The whole state of an engine as bytes, and back: what a state directory's snapshot holds.
///
/// Everything the engine remembers is written: the clock and counters, logging options, inputs,
/// every version of every model (its request, through the API's own coder, and what was added
/// to it since), every detector and alarm with their timers, snoozes and retained input values,
/// both deadline queues entry by entry (so ties fire in the same order after a restart), the
/// de-duplication window, and the detector model analyses still kept. Restoring into a new engine gives one that answers every call as the
/// original would have.
///
/// Model requests cross as the API's request documents: the core hands the typed request to the
/// coder and gets bytes, and back, so it never sees JSON.
package protocol ModelRequestCoder {
    func encode(_ request: DetectorModelRequest) -> [UInt8]
    func encode(_ request: AlarmModelRequest) -> [UInt8]
    func decodeDetectorModel(_ bytes: [UInt8]) throws(ServiceError) -> DetectorModelRequest
    func decodeAlarmModel(_ bytes: [UInt8]) throws(ServiceError) -> AlarmModelRequest
}

extension Engine {
    package func writeSnapshot<Coder: ModelRequestCoder>(_ coder: Coder, into w: inout ByteWriter) {
        w.i64(clock.lastReading)
        w.u64(executionSequence)
        w.u64(nextTimerGeneration)
        if let options = loggingOptions {
            w.bool(true)
            SnapshotFields.write(options, &w)
        } else {
            w.bool(false)
        }
        let allInputs = inputs.all
        w.count(allInputs.count)
        for input in allInputs { SnapshotFields.write(input, &w) }
        let detectorModelList = detectorModels.all
        w.count(detectorModelList.count)
        for model in detectorModelList { SnapshotFields.write(model, coder, &w) }
        let alarmModelList = alarmModels.all
        w.count(alarmModelList.count)
        for model in alarmModelList { SnapshotFields.write(model, coder, &w) }
        // Only entries that can still fire are written: those of a timer that was re-armed,
        // cleared, or whose detector or model is gone are left out. A stale entry is not
        // harmless in a snapshot: its detector's version may be gone (an update deletes the
        // detectors) and with it the timer's id, which the reader rightly refuses.
        // An entry is written as the timer's latest arming (its deadline and generation): a
        // timer re-armed to a later deadline keeps an earlier entry in the queue, and the
        // restored queue is then the one that arming would have made.
        var timers: [(deadline: Millis, entry: TimerEntry)] = []
        for e in timerQueue.snapshotEntries {
            let p = e.payload
            guard let slot = liveSlot(p) else { continue }
            let timer = p.model.detectors.timer(at: slot, p.timer)
            timers.append((timer.deadline ?? e.deadline, TimerEntry(model: p.model, key: p.key, timer: p.timer, generation: timer.generation)))
        }
        w.count(timers.count)
        for t in timers {
            w.i64(t.deadline)
            w.u64(t.entry.generation) // the order of ties: the arming's
            w.string(t.entry.model.name)
            w.string(t.entry.key)
            w.count(t.entry.timer)
            w.u64(t.entry.generation)
        }
        w.u64(timerQueue.sequenceCounter)
        let snoozes = snoozeQueue.snapshotEntries.filter { isLive($0.payload) }
        w.count(snoozes.count)
        for e in snoozes {
            w.i64(e.deadline)
            w.u64(e.sequence)
            w.string(e.payload.model.name)
            w.string(e.payload.key)
            w.u64(e.payload.generation)
        }
        w.u64(snoozeQueue.sequenceCounter)
        let remembered = deduplicator.snapshotEntries
        w.count(remembered.count)
        for entry in remembered {
            w.i64(entry.time)
            w.string(entry.id)
        }
        SnapshotFields.write(analyses, &w)
    }

    /// Fills this engine, which must be new, from a snapshot. A snapshot that cannot be read, or
    /// a model that no longer compiles under this engine's limits, is an error naming it.
    package func restoreSnapshot<Coder: ModelRequestCoder>(_ coder: Coder, from r: inout ByteReader) throws(ServiceError) {
        do throws(SnapshotError) {
            try restore(coder, &r)
        } catch {
            switch error {
            case .bytes(let e): throw ServiceError(.internalFailure, "the snapshot cannot be read at byte \(e.offset): \(e.reason)")
            case .model(let what, let e): throw ServiceError(.internalFailure, "the snapshot's \(what) cannot be restored: \(e.message)")
            case .outOfRange(let what): throw ServiceError(.internalFailure, "the snapshot is damaged: \(what); the engine will not start from it")
            }
        }
    }

    private func restore<Coder: ModelRequestCoder>(_ coder: Coder, _ r: inout ByteReader) throws(SnapshotError) {
        do throws(ByteReadError) {
            clock.rewind(to: try r.i64())
            executionSequence = try r.u64()
            nextTimerGeneration = try r.u64()
            loggingOptions = try r.bool() ? try SnapshotFields.readLoggingOptions(&r) : nil
            for _ in 0..<(try r.count()) {
                let input = try SnapshotFields.readInput(&r)
                inputs.set(input.name, input)
            }
        } catch { throw .bytes(error) }
        for _ in 0..<(try SnapshotError.reading { () throws(ByteReadError) in try r.count() }) {
            let model = try SnapshotFields.readDetectorModel(coder, limits, &r)
            detectorModels.set(model)
            runningTimers += model.detectors.runningTimerTotal
        }
        for _ in 0..<(try SnapshotError.reading { () throws(ByteReadError) in try r.count() }) {
            let model = try SnapshotFields.readAlarmModel(coder, limits, &r)
            alarmModels.set(model)
            model.alarms.forEach { if $0.snoozeDeadline != nil { runningSnoozes += 1 } }
        }
        do throws(ByteReadError) {
            var timers: [DeadlineHeap<TimerEntry>.Entry] = []
            for _ in 0..<(try r.count()) {
                let deadline = try r.i64(), sequence = try r.u64()
                let name = try r.string(), key = try r.string(), timer = try r.count(minimumElementBytes: 0), generation = try r.u64()
                guard let model = detectorModels[name] else { throw r.failure("a timer of detector model \(name), which the snapshot does not hold") }
                // Firing it grows the detector's timer table to this id: it must be one the model names.
                // (The writer leaves out entries that can no longer fire, whose ids may be gone.)
                guard timer < model.latest.timerNames.count else {
                    throw r.failure("a timer entry of detector model \(name) with timer id \(timer), out of range: the model names \(model.latest.timerNames.count) timers")
                }
                // Ties fire in arming order: by generation. Older snapshots wrote a push counter
                // as the sequence, which orders them the same; it is read and not used.
                _ = sequence
                timers.append(.init(deadline: deadline, sequence: generation,
                                    payload: TimerEntry(model: model, key: key, timer: timer, generation: generation)))
            }
            timerQueue.restore(timers, sequenceCounter: try r.u64())
            var snoozes: [DeadlineHeap<SnoozeEntry>.Entry] = []
            for _ in 0..<(try r.count()) {
                let deadline = try r.i64(), sequence = try r.u64()
                let name = try r.string(), key = try r.string(), generation = try r.u64()
                guard let model = alarmModels[name] else { throw r.failure("a snooze of alarm model \(name), which the snapshot does not hold") }
                snoozes.append(.init(deadline: deadline, sequence: sequence,
                                     payload: SnoozeEntry(model: model, key: key, generation: generation)))
            }
            snoozeQueue.restore(snoozes, sequenceCounter: try r.u64())
            var remembered: [(time: Millis, id: String)] = []
            for _ in 0..<(try r.count()) {
                let time = try r.i64()
                // The window subtracts it from the clock: it must be a time the clock gave out.
                guard time >= 0, time <= clock.lastReading else {
                    throw r.failure("a de-duplication entry at time \(time), out of range: the clock had read \(clock.lastReading)")
                }
                remembered.append((time, try r.string()))
            }
            deduplicator.restore(remembered)
            // Snapshots written before analyses were durable (format 1) end here.
            if !r.atEnd { try SnapshotFields.read(into: analyses, &r) }
            guard r.atEnd else { throw r.failure("bytes after the last section") }
        } catch { throw .bytes(error) }
        detectorModels.rebuildRoutes()
        alarmModels.rebuildRoutes()
    }
}

/// Why a snapshot could not be restored.
enum SnapshotError: Error {
    case bytes(ByteReadError)
    case model(String, ServiceError)
    /// A well-formed value that indexes or counts beyond what its model holds: restored, it
    /// would trap on the next message (SnapshotFields+Checks).
    case outOfRange(String)

    static func reading<T>(_ body: () throws(ByteReadError) -> T) throws(SnapshotError) -> T {
        do throws(ByteReadError) { return try body() } catch { throw .bytes(error) }
    }
}
