/// An evaluation that runs external actions: a detector's cycle or an alarm's state change. The
/// shared part (evaluating parameters and payloads, loop-backs, the action record) lives in the
/// extension; each host says where actions come from and what its default payload is.
protocol ActionHost: ExpressionContext {
    var output: RunOutput { get set }
    var limits: Limits { get }
    /// Loop-back depth of the triggering message (0 for an original message, a timer or an
    /// operator action).
    var depth: Int { get }
    /// `eventTime` of the action documents and payloads.
    var eventTime: Millis { get }
    /// Numbers executions engine-wide, for `actionExecutionId`s and loop-back message ids.
    var sequence: UInt64 { get set }
    /// Model name and instance key, which with the event name and the time make execution ids.
    var executionIdPrefix: (model: String, key: String) { get }
    func actionSource(_ eventName: String) -> ActionSource
    /// The payload of an action without `payload` (§4.5 for detectors, §5.6 for alarms).
    mutating func defaultPayload(_ eventName: String) -> String
    /// The level this instance logs at (nil: logging off), and the clock's time of the evaluation.
    var trace: TraceLevel? { get }
    var now: Millis { get }
    /// What caused the evaluation, as a log record's `trigger` object.
    func writeTrigger(_ w: inout JSONWriter)
}

extension ActionHost {
    /// A log record about this instance when `level` is logged for it, else nil. The message
    /// and the members are only built then: with logging off a call costs one comparison.
    /// (Not mutating, so the message may read the host: `log` and `fail` append the result.)
    func record(_ level: TraceLevel, _ event: String, eventName: String?, _ message: @autoclosure () -> String,
                _ members: (inout JSONWriter) -> Void = { _ in }) -> TraceRecord? {
        guard level.passes(trace) else { return nil }
        var document = recordHead(level, event, eventName: eventName, message())
        document.members(members)
        return document.finish()
    }

    /// A record up to its own members: the instance it is about and what caused the evaluation.
    /// Out of line, as `record` is inlined into every log site with its message and members.
    @inline(never)
    private func recordHead(_ level: TraceLevel, _ event: String, eventName: String?, _ message: String) -> TraceDocument {
        var document = TraceDocument(level: level, time: now, event: event, message: message)
        var source = actionSource(eventName ?? "")
        source.eventName = eventName
        document.subject(source)
        document.members { w in
            w.key("trigger")
            writeTrigger(&w)
        }
        return document
    }

    /// Appends a log record (see `record`); the message must not read `self`.
    mutating func log(_ level: TraceLevel, _ event: String, eventName: String?, _ message: @autoclosure () -> String,
                      _ members: (inout JSONWriter) -> Void = { _ in }) {
        if let r = record(level, event, eventName: eventName, message(), members) { output.trace(r) }
    }

    /// A skipped action: its reason, and its ERROR record when errors are logged.
    func failure(_ reason: ActionFailure, _ actionType: String, eventName: String?, _ why: @autoclosure () -> String) -> (ActionFailure, TraceRecord?) {
        guard TraceLevel.error.passes(trace) else { return (reason, nil) }
        return (reason, failureRecord(reason, actionType, eventName: eventName, why()))
    }

    /// The ERROR record of a skipped action. Out of line, as `failure` is copied for every `why`
    /// it is given.
    @inline(never)
    private func failureRecord(_ reason: ActionFailure, _ actionType: String, eventName: String?, _ text: String) -> TraceRecord? {
        record(.error, "actionFailed", eventName: eventName, "\(actionType) was not executed: \(text)") { w in
            w.key("actionType"); w.value(actionType)
            w.key("failure"); w.value(reason.name)
            w.key("reason"); w.value(text)
        }
    }

    /// Counts a skipped action and appends its record: `fail(failure(...))`.
    mutating func fail(_ failed: (ActionFailure, TraceRecord?)) {
        output.failures.add(failed.0)
        if let r = failed.1 { output.trace(r) }
    }
}

extension ActionHost {
    /// Evaluates and records one external action; an `iotEvents` action also queues its message
    /// (§4.7). An action whose parameters or payload do not evaluate is not executed, but it is
    /// still recorded, with `error` saying why, so the host sees every action a model ran (a
    /// silently dropped action cannot be told from one the model never reached). It is counted.
    mutating func runExternal(_ action: CompiledExternalAction, _ eventName: String) {
        var parameters: [EvaluatedParameter] = []
        var failure: String?
        for p in action.parameters where failure == nil {
            if let evaluated = evaluate(p, p.name, &failure) { parameters.append(evaluated) }
        }
        var payload = ""
        let payloadType = action.payload == nil ? .json : action.payloadType ?? .json
        if failure != nil {
            // The payload is not evaluated either: the action does not run.
        } else if let expression = action.payload {
            (payload, failure) = ActionChecks.payload(expression.evaluate(&self), limits: limits)
        } else {
            payload = defaultPayload(eventName)
        }
        var record = ActionRecord(
            kind: action.kind, parameters: parameters, payload: payload, payloadType: payloadType,
            source: actionSource(eventName), eventTime: eventTime, error: nil)
        if let failure {
            fail(self.failure(.evaluation, action.kind.rawValue, eventName: traceEventName(eventName), failure))
            record.error = "not executed: \(failure)"
            output.actions.append(record)
            return
        }
        if action.kind == .iotEvents {
            if let refusal = ActionChecks.loopbackRefusal(depth: depth, evaluations: output.evaluations, limits: limits) {
                record.error = refusal
                fail(self.failure(.limit, action.kind.rawValue, eventName: traceEventName(eventName), refusal))
            } else {
                output.loopbacks.append(LoopbackMessage(
                    inputName: ActionChecks.inputName(parameters), messageId: newExecutionId(eventName), payload: payload,
                    depth: depth + 1, eventTime: eventTime, actionIndex: output.actions.count))
            }
        }
        if record.error == nil, TraceLevel.debug.passes(trace) { logExecuted(record, eventName: traceEventName(eventName)) }
        output.actions.append(record)
    }

    /// The event name a log record gives: the detector event's, none for an alarm's actions.
    private func traceEventName(_ eventName: String) -> String? {
        actionSource(eventName).eventName
    }

    private mutating func logExecuted(_ record: ActionRecord, eventName: String?) {
        log(.debug, "actionExecuted", eventName: eventName, "\(record.kind.rawValue) executed") { w in
            w.key("actionType"); w.value(record.kind.rawValue)
        }
    }

    /// A parameter with its expressions evaluated; nil, with `failure` set, when one does not
    /// give a value. `path` names it in the failure (`propertyValue.value.doubleValue`).
    private mutating func evaluate(_ p: CompiledParameter, _ path: String, _ failure: inout String?) -> EvaluatedParameter? {
        switch p.value {
        case .literal(let v): return EvaluatedParameter(name: p.name, value: .literal(v))
        case .expression(let e):
            let v = e.evaluate(&self)
            if let why = ActionChecks.parameterFailure(v, path, limits: limits) {
                failure = why
                return nil
            }
            return EvaluatedParameter(name: p.name, value: .value(v))
        case .object(let members):
            var evaluated: [EvaluatedParameter] = []
            for m in members {
                guard let e = evaluate(m, "\(path).\(m.name)", &failure) else { return nil }
                evaluated.append(e)
            }
            return EvaluatedParameter(name: p.name, value: .object(evaluated))
        }
    }

    mutating func newExecutionId(_ eventName: String) -> String {
        sequence &+= 1
        let prefix = executionIdPrefix
        return ExecutionId.make([prefix.model, prefix.key, eventName], time: eventTime, sequence: sequence)
    }
}
