/// Alarms at run time (docs/behaviour.md §5.2–§5.5, §6.6, §6.7): messages evaluate rules, operators
/// act on alarms, snoozes end; and DescribeAlarm / ListAlarms.
extension Engine {
    /// One operator action of a Batch*Alarm call.
    package struct AlarmActionRequest: Sendable {
        package var action: AlarmOperatorAction
        package var modelName: String
        package var keyValue: String?
        package var note: String?
        package var snoozeDuration: Int64?

        package init(action: AlarmOperatorAction, modelName: String, keyValue: String?, note: String?, snoozeDuration: Int64?) {
            self.action = action
            self.modelName = modelName
            self.keyValue = keyValue
            self.note = note
            self.snoozeDuration = snoozeDuration
        }
    }

    /// Delivers a message to one alarm model: finds or creates the alarm of its key, takes the
    /// message's values of the attributes the model reads, and evaluates the rule. The error is
    /// for the message's error entry.
    func deliver<Source: MessageSource>(
        _ message: IncomingMessage, _ source: Source, input: Input, to model: AlarmModel,
        now: Millis, eventTime: Millis, output: inout RunOutput
    ) -> ServiceError? {
        let version = model.latest
        let (key, keyError) = Engine.instanceKey(source, model.key, noun: AlarmModelKind.noun, name: model.name)
        if let keyError { return keyError }
        let slot: Int
        if let existing = model.alarms.slot(of: key) {
            slot = existing
        } else {
            if model.alarms.count >= limits.maxAlarmsPerModel {
                return .invalidRequest("Alarm model \(model.name) already has \(model.alarms.count) alarms (limit maxAlarmsPerModel = \(limits.maxAlarmsPerModel))")
            }
            slot = model.alarms.insert(Alarm(key: key, version: version, now: now))
        }
        guard var alarm = model.alarms.take(slot) else { return nil }
        let inputId = version.compiled.symbols.inputId(message.inputName)
        project(source, input: input, inputId: inputId, references: version.compiled.symbols.inputAttributes, into: &alarm.attributes)
        let trigger = AlarmTrigger.message(input: inputId, inputName: message.inputName)
        var cycle = makeCycle(model, version, alarm, trigger: trigger, eventTime: eventTime, now: now, depth: message.depth, output: &output)
        cycle.evaluateRule()
        finish(cycle, at: slot, output: &output)
        return nil
    }

    /// Applies one operator action (§5.4 b). A missing model or alarm is
    /// `ResourceNotFoundException`; an action the alarm's state does not allow is
    /// `InvalidRequestException` naming the state (or ignored, when the engine is configured so).
    func actOnAlarm(_ request: AlarmActionRequest, output: inout RunOutput) -> ServiceError? {
        do throws(ServiceError) {
            let (model, key) = try alarmLocation(request.modelName, request.keyValue)
            guard let slot = model.alarms.slot(of: key), let alarm = model.alarms.take(slot) else {
                return Engine.alarmNotFound(model, key)
            }
            if request.action == .snooze {
                let seconds = request.snoozeDuration ?? 0
                guard seconds >= 1, seconds <= Int64(limits.maxTimerSeconds) else {
                    model.alarms.put(alarm, at: slot)
                    return .invalidRequest("snoozeDuration: \(seconds) is outside 1-\(limits.maxTimerSeconds) seconds (limit maxTimerSeconds)")
                }
            }
            let now = clock.now()
            let state = alarm.state
            var cycle = makeCycle(model, model.latest, alarm, trigger: .operatorAction(request.action), eventTime: now, now: now, depth: 0, output: &output)
            guard cycle.apply(request.action, note: request.note, snoozeDuration: request.snoozeDuration) else {
                output = cycle.output
                model.alarms.put(cycle.alarm, at: slot)
                if configuration.alarmRejectedActions == .ignore { return nil }
                return .invalidRequest("Alarm \(Engine.alarmName(model, key)) is \(state.rawValue): \(request.action.rawValue) \(Engine.allowedStates(request.action, acknowledgeFlow: model.latest.request.acknowledgeFlowEnabled))")
            }
            switch request.action {
            case .snooze:
                if cycle.alarm.snoozeDeadline == nil { runningSnoozes += 1 }
                cycle.alarm.snoozeDeadline = now.adding(seconds: request.snoozeDuration ?? 0)
                cycle.alarm.snoozeGeneration = nextTimerGeneration
                nextTimerGeneration &+= 1
                snoozeQueue.push(deadline: cycle.alarm.snoozeDeadline ?? Millis.max,
                                 SnoozeEntry(model: model, key: key, generation: cycle.alarm.snoozeGeneration))
            case .enable, .disable:
                if cycle.alarm.snoozeDeadline != nil {
                    cycle.alarm.snoozeDeadline = nil
                    runningSnoozes -= 1
                }
            case .acknowledge, .reset:
                break
            }
            finish(cycle, at: slot, output: &output)
            sweepStaleSnoozeEntries()
            return nil
        } catch {
            return error
        }
    }

    /// Ends the snooze of the entry's alarm if the entry is still its current one; false if stale.
    func endSnooze(_ entry: SnoozeEntry, at deadline: Millis, output: inout RunOutput) -> Bool {
        guard isLive(entry), let slot = entry.model.alarms.slot(of: entry.key), let alarm = entry.model.alarms.take(slot) else { return false }
        runningSnoozes -= 1
        var cycle = makeCycle(entry.model, entry.model.latest, alarm, trigger: .snoozeTimeout, eventTime: deadline, now: deadline, depth: 0, output: &output)
        cycle.endSnooze()
        finish(cycle, at: slot, output: &output)
        return true
    }

    func isLive(_ e: SnoozeEntry) -> Bool {
        guard e.model.isLive, let alarm = e.model.alarms.instance(e.key) else { return false }
        return alarm.snoozeGeneration == e.generation && alarm.snoozeDeadline != nil
    }

    /// As for timers: drop stale snooze entries once they outnumber the live ones (plus slack).
    func sweepStaleSnoozeEntries() {
        guard snoozeQueue.count > 2 * runningSnoozes + 1024 else { return }
        snoozeQueue.retain { isLive($0) }
    }

    package func describeAlarm(model name: String, keyValue: String?) throws(ServiceError) -> (model: AlarmModel, alarm: Alarm) {
        let (model, key) = try alarmLocation(name, keyValue)
        guard let alarm = model.alarms.instance(key) else { throw Engine.alarmNotFound(model, key) }
        return (model, alarm)
    }

    /// One page of the model's alarms in ascending key order; the token is a cursor, as for
    /// ListDetectors.
    package func listAlarms(model name: String, nextToken: String?, maxResults: Int) throws(ServiceError) -> (model: AlarmModel, alarms: [Alarm], nextToken: String?) {
        guard let model = alarmModels[name] else { throw Engine.alarmModelNotFound(name) }
        let scope = "alarms/\(name)"
        let after = try Engine.resume(nextToken, scope: scope, operation: "ListAlarms")
        let page = model.alarms.sortedKeys.page(after: after, limit: maxResults)
        var alarms: [Alarm] = []
        for key in page.keys { if let a = model.alarms.instance(key) { alarms.append(a) } }
        let token = page.more ? page.keys.last.map { PageToken.encode(scope: scope, after: $0) } : nil
        return (model, alarms, token)
    }

    // MARK: Helpers

    /// The alarm and the call's output move into the cycle and back out of it in `finish`
    /// (consumed, swapped): a copy would share their buffers, and the cycle's first change to
    /// either would copy them.
    func makeCycle(_ model: AlarmModel, _ version: AlarmModelVersion, _ alarm: consuming Alarm, trigger: AlarmTrigger,
                           eventTime: Millis, now: Millis, depth: Int, output: inout RunOutput) -> AlarmCycle {
        output.evaluations += 1
        let trace = tracePolicy.level == nil ? nil : tracePolicy.level(model: model.name, key: alarm.key)
        var cycle = AlarmCycle(
            model: model, version: version, alarm: alarm, trigger: trigger, eventTime: eventTime, now: now,
            limits: limits, depth: depth, notifyAlways: configuration.alarmNotifications == .always,
            output: RunOutput(), sequence: executionSequence, trace: trace)
        swap(&cycle.output, &output)
        return cycle
    }

    func finish(_ cycle: consuming AlarmCycle, at slot: Int, output: inout RunOutput) {
        swap(&output, &cycle.output)
        executionSequence = cycle.sequence
        let model = cycle.model
        model.alarms.put(cycle.alarm, at: slot)
    }

    /// The model and internal key a (alarmModelName, keyValue) pair names.
    private func alarmLocation(_ name: String, _ keyValue: String?) throws(ServiceError) -> (AlarmModel, String) {
        guard let model = alarmModels[name] else { throw Engine.alarmModelNotFound(name) }
        if model.latest.compiled.isSiteWise {
            guard let keyValue else {
                throw .invalidRequest("keyValue is required: alarm model \(name) is fed by SiteWise; its alarms are keyed by assetId")
            }
            return (model, keyValue)
        }
        if model.key != nil {
            guard let keyValue else {
                throw .invalidRequest("keyValue is required: alarm model \(name) is keyed on \(model.key?.text ?? "")")
            }
            return (model, keyValue)
        }
        if let keyValue {
            throw .notFound("Alarm model \(name) has no key, so it has no alarm with key value \(keyValue)")
        }
        return (model, "")
    }

    static func alarmName(_ model: AlarmModel, _ key: String) -> String {
        key.isEmpty ? model.name : "\(model.name)/\(key)"
    }

    static func alarmNotFound(_ model: AlarmModel, _ key: String) -> ServiceError {
        key.isEmpty
            ? .notFound("Alarm model \(model.name) has no alarm yet")
            : .notFound("Alarm model \(model.name) has no alarm with key value \(key)")
    }

    /// Where an action is allowed from, for the rejection message.
    static func allowedStates(_ action: AlarmOperatorAction, acknowledgeFlow: Bool) -> String {
        var from: [String] = []
        for state in AlarmStateName.allCases where AlarmTransitions.afterAction(action, from: state, acknowledgeFlow: acknowledgeFlow) != nil {
            // Without the acknowledge flow these two states cannot occur.
            if !acknowledgeFlow && (state == .acknowledged || state == .latched) { continue }
            from.append(state.rawValue)
        }
        if from.isEmpty { return "is not allowed: the alarm model's acknowledge flow is disabled" }
        return "is allowed only from \(from.joined(separator: ", "))"
    }
}
