/// A detector cycle's log records (`include/iotevents.h`, "Logging"): the trigger object, the
/// traced evaluation of conditions and the DEBUG summary of an evaluation in the shape AWS's
/// CloudWatch entries had ("Summary of message evaluation", `conditionEvaluationResults`).
extension DetectorCycle {
    /// Where a condition sits, as the summary names it.
    enum LifeCycle {
        case onEnter, onInput, onExit

        var name: String {
            switch self {
            case .onEnter: return "OnEnter"
            case .onInput: return "OnInput"
            case .onExit: return "OnExit"
            }
        }
    }

    /// One entry of the summary's `conditionEvaluationResults`.
    struct ConditionResult {
        var result: String
        var eventName: String
        var state: String
        var lifeCycle: LifeCycle
        var hasTransition: Bool
        var condition: String?
        var details: String?
    }

    func writeTrigger(_ w: inout JSONWriter) {
        w.beginObject()
        switch trigger {
        case .message(_, let inputName, let messageId):
            w.key("triggerType"); w.value("Message")
            w.key("inputName"); w.value(inputName)
            w.key("messageId"); w.value(messageId)
        case .timer(_, let name):
            w.key("triggerType"); w.value("Timer")
            w.key("timerName"); w.value(name)
        }
        w.endObject()
    }

    /// Evaluates `condition` and notes its result, and why it was not true, for the summary.
    mutating func tracedFires(_ condition: CompiledExpression?, _ eventName: String, _ lifeCycle: LifeCycle, transition: Bool) -> Bool {
        var entry = ConditionResult(
            result: "True", eventName: eventName, state: version.compiled.states[detector.state].name,
            lifeCycle: lifeCycle, hasTransition: transition)
        guard let condition else {
            entry.details = "the event has no condition"
            note(entry)
            return true
        }
        entry.condition = condition.syntax.text
        let before = explanationContext()
        let value = condition.evaluate(&self)
        if !value.isTrue {
            var explainer = ExpressionExplainer(
                program: condition.program, symbols: version.compiled.symbols, declared: declaredAttributes ?? [], context: before)
            switch value {
            case .boolean: entry.result = "False"
            case .undefined: entry.result = "Undefined"
            default: entry.result = "False"
            }
            if case .boolean = value {} else if !value.isUndefined {
                entry.details = "the condition gave \(explainer.describe(value)), not a Boolean"
            }
            entry.details = entry.details ?? explainer.problem()
        }
        note(entry)
        return value.isTrue
    }

    /// ": <why>" when `expression`, evaluated now, has a problem the explainer can name, else
    /// "" (for ERROR records of failed assignments and durations).
    func because(_ expression: CompiledExpression) -> String {
        var explainer = ExpressionExplainer(
            program: expression.program, symbols: version.compiled.symbols, declared: declaredAttributes ?? [],
            context: explanationContext())
        return explainer.problem().map { ": " + $0 } ?? ""
    }

    private mutating func note(_ result: ConditionResult) {
        if conditionResults == nil { conditionResults = [] }
        conditionResults?.append(result)
    }

    /// The conditions after the transition that was taken, which are not evaluated (§2.4).
    mutating func noteSkipped(_ transitions: ArraySlice<CompiledTransition>, after taken: String) {
        for t in transitions {
            note(ConditionResult(
                result: "Skipped", eventName: t.name, state: version.compiled.states[detector.state].name,
                lifeCycle: .onInput, hasTransition: true, condition: t.condition.syntax.text,
                details: "Skipped due to transition from \(taken) event"))
        }
    }

    /// What the cycle's expressions read, as it is now: the explainer's context.
    private func explanationContext() -> RecordedExpressionContext {
        var pending: [Bool] = []
        for timer in detector.timers { pending.append(timer.pendingTimeout) }
        return RecordedExpressionContext(
            variables: detector.variables, attributes: detector.attributes, pending: pending,
            timerNames: version.timerNames, trigger: trigger, maxStringBytes: limits.maxStringBytes)
    }

    /// The DEBUG record that closes an evaluation: the state and variables before and after,
    /// and every condition's result.
    mutating func logSummary(initialState: Int, initialVariables: [ExpressionValue]) {
        let results = conditionResults ?? []
        conditionResults = nil
        let (message, context) = trigger.isMessage
            ? ("Summary of message evaluation", "MessageEvaluation") : ("Summary of timer evaluation", "TimerEvaluation")
        let states = version.compiled.states
        let names = version.variableNames
        let finalVariables = detector.variables
        let finalState = states[detector.state].name
        log(.debug, "evaluationSummary", eventName: nil, message) { w in
            w.key("context"); w.value(context)
            w.key("status"); w.value("Success")
            w.key("initialState"); w.value(states[initialState].name)
            w.key("initialVariables"); DetectorCycle.writeVariables(initialVariables, names, &w)
            w.key("finalState"); w.value(finalState)
            w.key("finalVariables"); DetectorCycle.writeVariables(finalVariables, names, &w)
            w.key("conditionEvaluationResults"); w.beginArray()
            for r in results {
                w.beginObject()
                w.key("result"); w.value(r.result)
                w.key("eventName"); w.value(r.eventName)
                w.key("state"); w.value(r.state)
                w.key("lifeCycle"); w.value(r.lifeCycle.name)
                w.key("hasTransition"); w.value(bool: r.hasTransition)
                if let c = r.condition { w.key("condition"); w.value(c) }
                if let d = r.details { w.key("resultDetails"); w.value(d) }
                w.endObject()
            }
            w.endArray()
        }
    }

    private static func writeVariables(_ values: [ExpressionValue], _ names: [String], _ w: inout JSONWriter) {
        w.beginObject()
        for (slot, value) in values.enumerated() where !value.isUndefined && slot < names.count {
            w.key(text: names[slot]); w.value(value)
        }
        w.endObject()
    }
}
