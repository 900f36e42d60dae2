/// What changed an alarm: a message (its rule is evaluated), an operator action, or the end of
/// a snooze.
enum AlarmTrigger {
    case message(input: Int?, inputName: String)
    case operatorAction(AlarmOperatorAction)
    case snoozeTimeout
}

/// One trigger processed by one alarm (docs/behaviour.md §5.3–§5.6): the rule evaluation or the
/// operator action, what `alarmState` records, and on a state change the alarm's event actions
/// and notifications. Also the expression context of the alarm's rule and action expressions:
/// input attributes only (an alarm has no variables or timers).
struct AlarmCycle: ActionHost {
    let model: AlarmModel
    let version: AlarmModelVersion
    var alarm: Alarm
    let trigger: AlarmTrigger
    let eventTime: Millis
    let now: Millis
    let limits: Limits
    let depth: Int
    /// Notify only with the acknowledge flow on (§5.6, as documented) unless the engine says always.
    let notifyAlways: Bool
    var output: RunOutput
    var sequence: UInt64
    /// The level this alarm logs at (nil: logging off).
    let trace: TraceLevel?

    static let eventName = "alarmStateChange"

    var acknowledgeFlow: Bool { version.request.acknowledgeFlowEnabled }

    // MARK: Triggers

    /// Evaluates the rule (§5.3): both sides must be numbers, otherwise nothing happens (§5.2).
    /// Disabled and snoozed alarms ignore data.
    mutating func evaluateRule() {
        guard AlarmTransitions.evaluates(in: alarm.state) else { return }
        let property = version.compiled.inputProperty.evaluate(&self)
        let threshold = version.compiled.threshold.evaluate(&self)
        guard property.isNumber, threshold.isNumber, let order = ExpressionOperators.order(property, threshold) else {
            logRule("Undefined", property, threshold)
            return
        }
        let op = version.request.rule.comparisonOperator
        logRule(op.holds(order) ? "True" : "False", property, threshold)
        alarm.ruleEvaluation = RuleEvaluationRecord(inputPropertyValue: property, comparisonOperator: op, thresholdValue: threshold)
        alarm.snoozeTimedOut = false
        alarm.lastUpdateTime = now
        let next = AlarmTransitions.afterRule(alarm.state, ruleTrue: op.holds(order), acknowledgeFlow: acknowledgeFlow)
        if next != alarm.state {
            // A rule-driven change supersedes the last operator action (§5.5).
            alarm.customerAction = nil
            enter(next)
        }
    }

    /// Applies an operator action; false (and nothing changed) when the state does not allow it.
    mutating func apply(_ action: AlarmOperatorAction, note: String?, snoozeDuration: Int64?) -> Bool {
        guard let next = AlarmTransitions.afterAction(action, from: alarm.state, acknowledgeFlow: acknowledgeFlow) else {
            return false
        }
        alarm.customerAction = CustomerActionRecord(action: action, note: note, snoozeDuration: snoozeDuration)
        alarm.snoozeTimedOut = false
        // RESET discards the latest evaluated value (§5.4 b).
        if action == .reset { alarm.ruleEvaluation = nil }
        alarm.lastUpdateTime = now
        if next != alarm.state { enter(next) }
        return true
    }

    /// The snooze has run out: back to NORMAL, recorded as a system event (§5.4 c).
    mutating func endSnooze() {
        alarm.snoozeDeadline = nil
        alarm.snoozeTimedOut = true
        alarm.lastUpdateTime = now
        enter(.normal)
    }

    /// Every state change runs the event actions, then the notifications (§5.6).
    private mutating func enter(_ state: AlarmStateName) {
        let from = alarm.state
        output.transitions += 1
        log(.info, "alarmStateChanged", eventName: nil, "Alarm state from \(from.rawValue) to \(state.rawValue)") { w in
            w.key("fromState"); w.value(from.rawValue)
            w.key("toState"); w.value(state.rawValue)
        }
        alarm.state = state
        for action in version.compiled.eventActions {
            let before = output.actions.count
            runExternal(action, AlarmCycle.eventName)
            if version.compiled.isSiteWise && action.kind == .iotSiteWise && output.actions.count > before {
                writeAlarmStateValue(action)
            }
        }
        guard acknowledgeFlow || notifyAlways, let notifications = version.request.notificationActions else { return }
        for (i, notification) in notifications.enumerated() { notify(notification, i) }
    }

    private mutating func notify(_ given: ActionParameterValue, _ index: Int) {
        var failure: String?
        let notification = version.compiled.notificationReferences.isEmpty
            ? given : resolveReferences(given, "alarmNotification.notificationActions[\(index)]", &failure)
        var parameters: [EvaluatedParameter] = []
        if case .object(let members) = notification {
            for m in members { parameters.append(EvaluatedParameter(name: m.name, value: .literal(m.value))) }
        }
        var w = JSONWriter()
        w.beginObject()
        w.key("notificationEventPayload")
        w.value(eventDocument())
        if case .object(let members) = notification {
            for m in members where m.name == "emailConfigurations" || m.name == "smsConfigurations" {
                w.key(text: m.name)
                w.value(m.value)
            }
        }
        w.endObject()
        var record = ActionRecord(
            kind: .lambda, parameters: parameters, payload: w.text, payloadType: .json,
            source: actionSource(AlarmCycle.eventName), eventTime: eventTime, error: nil)
        record.isAlarmNotification = true
        if let failure {
            fail(self.failure(.evaluation, "alarmNotification", eventName: nil, failure))
            record.error = "not executed: \(failure)"
            record.payload = ""
        }
        output.actions.append(record)
    }

    /// The notification with each whole-string `$sitewise` reference replaced by its value (§5.1);
    /// the first one without a value yet is the failure.
    private mutating func resolveReferences(_ value: ActionParameterValue, _ path: String, _ failure: inout String?) -> ActionParameterValue {
        switch value {
        case .text(let s):
            guard let expression = version.compiled.notificationReferences[s] else { return value }
            switch expression.evaluate(&self) {
            case .string(let text): return .text(text)
            case .integer(let n): return .integer(n)
            case .boolean(let b): return .boolean(b)
            case .decimal(let d): return .text(DecimalText.java(d))
            case .null, .undefined:
                if failure == nil { failure = "\(path): \(s) has no value yet" }
                return value
            }
        case .object(let members):
            var resolved: [ActionParameter] = []
            for m in members { resolved.append(ActionParameter(name: m.name, value: resolveReferences(m.value, "\(path).\(m.name)", &failure))) }
            return .object(resolved)
        case .array(let values):
            var resolved: [ActionParameterValue] = []
            for (i, v) in values.enumerated() { resolved.append(resolveReferences(v, "\(path)[\(i)]", &failure)) }
            return .array(resolved)
        case .integer, .boolean:
            return value
        }
    }

    /// A SiteWise-sourced model's `iotSiteWise` action without `propertyValue` writes the
    /// serialised alarm state as the property's string value, at the event time (§4.4, §5.1).
    private mutating func writeAlarmStateValue(_ action: CompiledExternalAction) {
        for p in action.parameters where p.name == "propertyValue" { return }
        let last = output.actions.count - 1
        guard last >= 0, output.actions[last].error == nil else { return }
        let seconds = eventTime >= 0 ? eventTime / 1000 : 0
        let nanos = eventTime >= 0 ? (eventTime % 1000) * 1_000_000 : 0
        let value = EvaluatedParameter(name: "propertyValue", value: .object([
            EvaluatedParameter(name: "value", value: .object([
                EvaluatedParameter(name: "stringValue", value: .value(.string(sitewiseAlarmState())))])),
            EvaluatedParameter(name: "timestamp", value: .object([
                EvaluatedParameter(name: "timeInSeconds", value: .value(.integer(seconds))),
                EvaluatedParameter(name: "offsetInNanos", value: .value(.integer(nanos)))])),
            EvaluatedParameter(name: "quality", value: .value(.string("GOOD")))]))
        output.actions[last].parameters.append(value)
    }

    /// The alarm state as SiteWise stores it in an alarm state property (§5.6): CamelCase state
    /// names, operators as symbols, the rule's values as numbers, customer actions as
    /// `{actionName, <action>: {note, snoozeDuration}}`.
    func sitewiseAlarmState() -> String {
        var w = JSONWriter()
        writeAlarmState(&w, .sitewise)
        return w.text
    }

    /// How an alarm state is spelled: in the API's enums (`ACTIVE`, `GREATER`,
    /// `snoozeActionConfiguration`), or as SiteWise stores it (`Active`, `>`, `snooze`).
    private enum Spelling {
        case api
        case sitewise
    }

    /// `{stateName, ruleEvaluation, customerAction, systemEvent}`, the members present.
    private func writeAlarmState(_ w: inout JSONWriter, _ spelling: Spelling) {
        w.beginObject()
        w.key("stateName"); w.value(spelling == .api ? alarm.state.rawValue : alarm.state.sitewiseName)
        if let rule = alarm.ruleEvaluation {
            w.key("ruleEvaluation"); w.beginObject()
            w.key("simpleRule"); w.beginObject()
            w.key("inputProperty"); w.value(rule.inputPropertyValue)
            w.key("operator"); w.value(spelling == .api ? rule.comparisonOperator.rawValue : rule.comparisonOperator.symbol)
            w.key("threshold"); w.value(rule.thresholdValue)
            w.endObject()
            w.endObject()
        }
        if let action = alarm.customerAction {
            w.key("customerAction"); w.beginObject()
            w.key("actionName"); w.value(action.action.rawValue)
            w.key(text: spelling == .api ? action.action.configurationMember : action.action.sitewiseMember); w.beginObject()
            if let d = action.snoozeDuration { w.key("snoozeDuration"); w.value(d) }
            if let note = action.note { w.key("note"); w.value(note) }
            w.endObject()
            w.endObject()
        }
        if alarm.snoozeTimedOut {
            w.key("systemEvent"); w.beginObject()
            w.key("eventType"); w.value("STATE_CHANGE")
            w.key("stateChangeConfiguration"); w.beginObject()
            w.key("triggerType"); w.value("SNOOZE_TIMEOUT")
            w.endObject()
            w.endObject()
        }
        w.endObject()
    }

    // MARK: Payloads (§5.6)

    var executionIdPrefix: (model: String, key: String) { (model.name, alarm.key) }

    func writeTrigger(_ w: inout JSONWriter) {
        w.beginObject()
        switch trigger {
        case .message(_, let inputName):
            w.key("triggerType"); w.value("Message")
            w.key("inputName"); w.value(inputName)
        case .operatorAction(let action):
            w.key("triggerType"); w.value("AlarmAction")
            w.key("action"); w.value(action.rawValue)
        case .snoozeTimeout:
            w.key("triggerType"); w.value("SnoozeTimeout")
        }
        w.endObject()
    }

    /// The rule's evaluation (DEBUG): its values, and why there was no result when a side was
    /// not a number (§5.2: the alarm then ignores the data).
    private mutating func logRule(_ result: String, _ property: ExpressionValue, _ threshold: ExpressionValue) {
        guard TraceLevel.debug.passes(trace) else { return }
        let rule = version.request.rule
        var details: String?
        if !property.isNumber { details = "inputProperty \(rule.inputProperty) gave \(property.kindName), not a number" }
        else if !threshold.isNumber { details = "threshold \(rule.threshold) gave \(threshold.kindName), not a number" }
        log(.debug, "ruleEvaluated", eventName: nil, "Rule evaluated: \(result)") { w in
            w.key("result"); w.value(result)
            w.key("inputPropertyValue"); w.value(property)
            w.key("comparisonOperator"); w.value(rule.comparisonOperator.rawValue)
            w.key("thresholdValue"); w.value(threshold)
            if let details { w.key("resultDetails"); w.value(details) }
        }
    }

    func actionSource(_ eventName: String) -> ActionSource {
        ActionSource(
            modelKind: .alarmModel, modelName: model.name, modelVersion: version.versionText,
            keyValue: alarm.keyValue, stateName: alarm.state.rawValue, eventName: nil)
    }

    mutating func defaultPayload(_ eventName: String) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("eventTime"); w.value(eventTime)
        w.key("payload"); writeEvent(&w)
        w.key("eventName"); w.value(eventName)
        w.endObject()
        return w.text
    }

    /// The alarm event as JSON text: the notification's `notificationEventPayload`.
    private func eventDocument() -> String {
        var w = JSONWriter()
        writeEvent(&w)
        return w.text
    }

    /// The event-style alarm document: state names and operators in the API's enum spellings,
    /// the rule's values as numbers (§5.6).
    private func writeEvent(_ w: inout JSONWriter) {
        w.beginObject()
        w.key("alarmModelName"); w.value(model.name)
        w.key("alarmModelVersion"); w.value(version.versionText)
        if let key = alarm.keyValue { w.key("keyValue"); w.value(key) }
        if let severity = version.request.severity { w.key("severity"); w.value(severity) }
        w.key("stateUpdateTime"); w.value(eventTime)
        w.key("alarmState"); writeAlarmState(&w, .api)
        w.endObject()
    }

    // MARK: ExpressionContext

    var maxStringBytes: Int { limits.maxStringBytes }

    func variable(at slot: Int) -> ExpressionValue { .undefined }

    func inputAttribute(at slot: Int) -> ExpressionValue {
        slot < alarm.attributes.count ? alarm.attributes[slot] : .undefined
    }

    var isMessageTrigger: Bool {
        if case .message = trigger { return true }
        return false
    }

    var isTimerTrigger: Bool {
        if case .snoozeTimeout = trigger { return true }
        return false
    }

    func isCurrentInput(_ input: Int) -> Bool {
        if case .message(let id, _) = trigger { return id == input }
        return false
    }

    func isCurrentInput(named name: String) -> Bool {
        if case .message(_, let inputName) = trigger { return inputName == name }
        return false
    }

    mutating func consumeTimeout(_ id: Int) -> Bool { false }
    mutating func consumeTimeout(named name: String) -> Bool { false }
}

extension AlarmStateName {
    /// The state as SiteWise's alarm state property spells it (§5.6).
    package var sitewiseName: String {
        switch self {
        case .disabled: return "Disabled"
        case .normal: return "Normal"
        case .active: return "Active"
        case .acknowledged: return "Acknowledged"
        case .snoozeDisabled: return "SnoozeDisabled"
        case .latched: return "Latched"
        }
    }
}

extension ComparisonOperator {
    /// The operator as SiteWise's alarm state property spells it (§5.6).
    package var symbol: String {
        switch self {
        case .greater: return ">"
        case .greaterOrEqual: return ">="
        case .less: return "<"
        case .lessOrEqual: return "<="
        case .equal: return "=="
        case .notEqual: return "!="
        }
    }
}

extension AlarmOperatorAction {
    /// The member of SiteWise's `customerAction` that carries the action's configuration (§5.6).
    package var sitewiseMember: String {
        switch self {
        case .acknowledge: return "acknowledge"
        case .snooze: return "snooze"
        case .disable: return "disable"
        case .enable: return "enable"
        case .reset: return "reset"
        }
    }

    /// The member of `customerAction` that carries this action's configuration.
    package var configurationMember: String {
        switch self {
        case .acknowledge: return "acknowledgeActionConfiguration"
        case .snooze: return "snoozeActionConfiguration"
        case .disable: return "disableActionConfiguration"
        case .enable: return "enableActionConfiguration"
        case .reset: return "resetActionConfiguration"
        }
    }
}
