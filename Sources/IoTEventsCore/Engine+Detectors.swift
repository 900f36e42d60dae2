/// BatchUpdateDetector, BatchDeleteDetector, DescribeDetector and ListDetectors
/// (docs/behaviour.md §2.8, §6.2–§6.5).
extension Engine {
    /// One entry of `BatchUpdateDetector`, validated against the service model.
    package struct DetectorUpdate: Sendable {
        package var modelName: String
        package var keyValue: String?
        package var stateName: String
        package var variables: [(name: String, value: String)]
        package var timers: [(name: String, seconds: Int64)]

        package init(modelName: String, keyValue: String?, stateName: String,
                    variables: [(name: String, value: String)], timers: [(name: String, seconds: Int64)]) {
            self.modelName = modelName
            self.keyValue = keyValue
            self.stateName = stateName
            self.variables = variables
            self.timers = timers
        }
    }

    /// Overwrites the detector's state, its whole variable set and its whole timer set, running no
    /// events (§2.8). Every check happens before anything changes: an entry either applies
    /// completely or fails with the returned error.
    package func updateDetector(_ update: DetectorUpdate) -> ServiceError? {
        let model: DetectorModel
        let key: String
        do throws(ServiceError) {
            (model, key) = try detectorLocation(update.modelName, update.keyValue)
        } catch {
            return error
        }
        guard let slot = model.detectors.slot(of: key), var detector = model.detectors[slot] else {
            return Engine.detectorNotFound(model, key)
        }
        let version = model.latest
        guard let state = version.stateIndex(update.stateName) else {
            return .invalidRequest("state.stateName: \(update.stateName) is not a state of detector model \(model.name)")
        }
        // Every check first, names added to the version's tables last: a failed entry leaves the
        // model version exactly as it was.
        var values: [ExpressionValue] = []
        for (i, v) in update.variables.enumerated() {
            guard let value = VariableLiteral.parse(v.value) else {
                return .invalidRequest("state.variables[\(i)].value: \(v.value) is not a literal: write an Integer (22), a Decimal (1.5), a Boolean (true) or a double-quoted String (\"text\")")
            }
            values.append(value)
        }
        if let i = Engine.firstNameBeyond(version.addableVariableNames, update.variables.map { $0.name }, known: { version.variableSlot($0) != nil }) {
            return .invalidRequest("state.variables[\(i)].name: detector model \(model.name) cannot take more variables its definition does not name")
        }
        for (i, t) in update.timers.enumerated() {
            guard t.seconds >= Int64(limits.minTimerSeconds), t.seconds <= Int64(limits.maxTimerSeconds) else {
                return .invalidRequest("state.timers[\(i)].seconds: \(t.seconds) is outside \(limits.minTimerSeconds)-\(limits.maxTimerSeconds) (limits minTimerSeconds, maxTimerSeconds)")
            }
        }
        let timerNames = update.timers.map { $0.name }
        if let i = Engine.firstNameBeyond(version.addableTimerNames, timerNames, known: { version.timerId($0) != nil }) {
            return .invalidRequest("state.timers[\(i)].name: detector model \(model.name) cannot take more timers its definition does not name")
        }
        var distinctTimers: [String] = []
        for name in timerNames where !distinctTimers.contains(name) { distinctTimers.append(name) }
        if distinctTimers.count > limits.maxTimersPerDetector {
            return .invalidRequest("state.timers: \(distinctTimers.count) timers; a detector has at most \(limits.maxTimersPerDetector) (limit maxTimersPerDetector)")
        }
        var variables: [(slot: Int, value: ExpressionValue)] = []
        for (i, v) in update.variables.enumerated() {
            guard let slot = version.internVariable(v.name) else { return Engine.unreachable("state.variables") }
            variables.append((slot, values[i]))
        }
        var timers: [(id: Int, seconds: Int64)] = []
        for t in update.timers {
            guard let id = version.internTimer(t.name) else { return Engine.unreachable("state.timers") }
            timers.removeAll { $0.id == id }
            timers.append((id, t.seconds))
        }
        let now = clock.now()
        detector.state = state
        detector.variables = Array(repeating: .undefined, count: version.variableNames.count)
        for v in variables { detector.setVariable(v.slot, v.value) }
        runningTimers -= detector.runningTimerCount
        // Timers the update does not list stop, but their durations stay remembered for the
        // detector's life: a later resetTimer restarts them (§4.3, settled 2026-12-04).
        for i in detector.timers.indices {
            detector.timers[i].deadline = nil
            detector.timers[i].pendingTimeout = false
        }
        for t in timers {
            var timer = detector.timer(t.id)
            let deadline = now.adding(seconds: t.seconds)
            timer.deadline = deadline
            timer.seconds = t.seconds
            timer.generation = nextTimerGeneration
            timer.queued = timer.generation
            nextTimerGeneration &+= 1
            detector.setTimer(t.id, timer)
            timerQueue.push(deadline: deadline, sequence: timer.generation,
                            TimerEntry(model: model, key: key, slot: slot, timer: t.id, generation: timer.generation))
        }
        runningTimers += timers.count
        detector.lastUpdateTime = now
        model.detectors.put(detector, at: slot)
        sweepStaleTimerEntries()
        return nil
    }

    /// Deletes one detector with its variables, timers and retained inputs (§6.3).
    package func deleteDetector(model name: String, keyValue: String?) -> ServiceError? {
        do throws(ServiceError) {
            let (model, key) = try detectorLocation(name, keyValue)
            guard let removed = model.detectors.remove(key) else { return Engine.detectorNotFound(model, key) }
            runningTimers -= removed.runningTimerCount
            return nil
        } catch {
            return error
        }
    }

    package func describeDetector(model name: String, keyValue: String?) throws(ServiceError) -> (model: DetectorModel, version: DetectorModelVersion, detector: Detector) {
        let (model, key) = try detectorLocation(name, keyValue)
        guard let detector = model.detectors.detector(key) else { throw Engine.detectorNotFound(model, key) }
        return (model, model.latest, detector)
    }

    /// One page of the model's detectors in ascending key order, optionally only those in
    /// `stateName`. The token is a cursor (the last key returned), valid while detectors come
    /// and go; the cost of a page does not depend on how many detectors there are.
    package func listDetectors(model name: String, stateName: String?, nextToken: String?, maxResults: Int) throws(ServiceError) -> (model: DetectorModel, detectors: [Detector], nextToken: String?) {
        guard let model = detectorModels[name] else { throw Engine.detectorModelNotFound(name) }
        let scope = "detectors/\(name)"
        let after = try Engine.resume(nextToken, scope: scope, operation: "ListDetectors")
        let version = model.latest
        // Filtered by state, the page comes from that state's own key index (InstanceTable;
        // the model's first filtered listing builds it). No copy of the table is held meanwhile:
        // building the index in place would then copy every slot.
        let page: (keys: [String], more: Bool)
        if let stateName {
            guard let index = version.stateIndex(stateName) else { return (model, [], nil) }
            page = model.detectors.keys(inState: index).page(after: after, limit: maxResults)
        } else {
            page = model.detectors.sortedKeys.page(after: after, limit: maxResults)
        }
        var detectors: [Detector] = []
        for key in page.keys { if let d = model.detectors.detector(key) { detectors.append(d) } }
        let token = page.more ? page.keys.last.map { PageToken.encode(scope: scope, after: $0) } : nil
        return (model, detectors, token)
    }

    /// The model and internal key a (detectorModelName, keyValue) pair names (§6.4): a keyed
    /// model needs a key value; a key value given for a keyless model names no detector.
    private func detectorLocation(_ name: String, _ keyValue: String?) throws(ServiceError) -> (DetectorModel, String) {
        guard let model = detectorModels[name] else { throw Engine.detectorModelNotFound(name) }
        if model.key != nil {
            guard let keyValue else {
                throw .invalidRequest("keyValue is required: detector model \(name) is keyed on \(model.key?.text ?? "")")
            }
            return (model, keyValue)
        }
        if let keyValue {
            throw .notFound("Detector model \(name) has no key, so it has no detector with key value \(keyValue)")
        }
        return (model, "")
    }

    static func detectorNotFound(_ model: DetectorModel, _ key: String) -> ServiceError {
        key.isEmpty
            ? .notFound("Detector model \(model.name) has no detector yet")
            : .notFound("Detector model \(model.name) has no detector with key value \(key)")
    }

    /// The index of the first name in `names` that would be the (capacity + 1)-th distinct name
    /// not `known`, or nil when they all fit.
    static func firstNameBeyond(_ capacity: Int, _ names: [String], known: (String) -> Bool) -> Int? {
        var added: [String] = []
        for (i, name) in names.enumerated() where !known(name) && !added.contains(name) {
            if added.count == capacity { return i }
            added.append(name)
        }
        return nil
    }

    /// A name that firstNameBeyond let through and the version still refused: never, but if the
    /// two checks ever disagree the entry fails loudly instead of reporting success half-done.
    static func unreachable(_ member: String) -> ServiceError {
        ServiceError(.internalFailure, "\(member): the name capacity checked before the update changed during it")
    }
}
