/// An alarm model with its rule and actions compiled against one symbol table (docs/behaviour.md §5.1,
/// §5.3): what alarms evaluate.
package struct CompiledAlarmModel: Sendable {
    package var symbols: ExpressionSymbols
    package var inputProperty: CompiledExpression
    package var threshold: CompiledExpression
    package var eventActions: [CompiledExternalAction]
    /// For each of `symbols.inputNames`, the path of the first expression that names it.
    package var inputFirstUse: [String]
    /// The `$sitewise` references of a SiteWise-sourced model (§5.1); empty for `$input` models.
    package var sitewise: [SiteWiseReference] = []
    /// The `$sitewise` references written as whole strings in the notification actions (the
    /// SiteWise user guide's recipients, sender ids and messages), by their text, resolved when a
    /// notification is sent.
    package var notificationReferences = NotificationReferences()

    /// Fed by `BatchPutAssetPropertyValue`, its alarms keyed by asset id (§5.1).
    package var isSiteWise: Bool { !sitewise.isEmpty }

    /// Whether a value of this property evaluates the model's alarms: some reference reads it.
    package func reads(propertyId: String) -> Bool {
        for r in sitewise where r.field != .assetId && r.propertyId == propertyId { return true }
        return false
    }
}

/// The compiled `$sitewise` references of an alarm model's notification actions, found by their
/// text. A `[String: Int]` of positions in an array: the library has that dictionary's code
/// already, and Embedded Swift would copy the hash-table code again for a
/// `[String: CompiledExpression]`.
package struct NotificationReferences: Sendable {
    private var positions: [String: Int] = [:]
    private var expressions: [CompiledExpression] = []

    package var isEmpty: Bool { expressions.isEmpty }

    package subscript(text: String) -> CompiledExpression? {
        guard let i = positions[text] else { return nil }
        return expressions[i]
    }

    mutating func add(_ text: String, _ expression: CompiledExpression) {
        positions[text] = expressions.count
        expressions.append(expression)
    }
}

extension AlarmModelRequest {
    /// Compiles the rule and the event actions. An expression that does not compile is an
    /// `InvalidRequestException` naming its path: `alarmRule.simpleRule.threshold: column 3: …`.
    /// The rule must read an input (§1.6: otherwise no message would ever reach the alarm).
    package func compile(limits: Limits) throws(ServiceError) -> CompiledAlarmModel {
        var compiler = ModelExpressionCompiler(limits: limits)
        let rulePath = "alarmRule.simpleRule"
        var sitewise: [SiteWiseReference] = []
        let property = try compiler.expression(rule.inputProperty, "\(rulePath).inputProperty", isCondition: true)
        try AlarmModelRequest.noteSiteWise(compiler.symbols, &sitewise, "\(rulePath).inputProperty")
        let threshold = try compiler.expression(rule.threshold, "\(rulePath).threshold", isCondition: true)
        try AlarmModelRequest.noteSiteWise(compiler.symbols, &sitewise, "\(rulePath).threshold")
        var ruleReadsSiteWise = false
        for r in sitewise where r.field != .assetId { ruleReadsSiteWise = true }
        if !compiler.conditionReadsInput && !ruleReadsSiteWise {
            throw .invalidRequest("\(rulePath).inputProperty: the rule reads no input; inputProperty (or threshold) must read $input.<InputName>.<attribute> or a SiteWise property value ($sitewise.assetModel.`<assetModelId>`.`<propertyId>`.propertyValue.value)")
        }
        var actions: [CompiledExternalAction] = []
        let list = eventActions ?? []
        if list.count > limits.maxActionsPerEvent {
            throw .invalidRequest("alarmEventActions.alarmActions: \(list.count) actions; at most \(limits.maxActionsPerEvent) are allowed (limit maxActionsPerEvent)")
        }
        for (i, action) in list.enumerated() {
            let path = "alarmEventActions.alarmActions[\(i)].\(action.kind.rawValue)"
            actions.append(try compiler.external(action, path))
            try AlarmModelRequest.noteSiteWise(compiler.symbols, &sitewise, path)
        }
        if let notifications = notificationActions, notifications.count > limits.maxActionsPerEvent {
            throw .invalidRequest("alarmNotification.notificationActions: \(notifications.count) actions; at most \(limits.maxActionsPerEvent) are allowed (limit maxActionsPerEvent)")
        }
        var notificationReferences = NotificationReferences()
        for (i, n) in (notificationActions ?? []).enumerated() {
            try AlarmModelRequest.compileReferences(n, "alarmNotification.notificationActions[\(i)]", &compiler, &sitewise, &notificationReferences)
        }
        // A model is fed either by inputs or by SiteWise: its alarms are keyed by a key
        // attribute or by asset id, never both (§5.1).
        if !sitewise.isEmpty {
            for (id, input) in compiler.symbols.inputNames.enumerated() where input != ExpressionSymbols.sitewiseInput {
                throw .invalidRequest("\(compiler.inputFirstUse[id]): the model reads both the input \(input) and SiteWise properties ($sitewise); an alarm model is fed by inputs or by SiteWise, not both")
            }
        }
        return CompiledAlarmModel(symbols: compiler.symbols, inputProperty: property, threshold: threshold,
                                  eventActions: actions, inputFirstUse: compiler.inputFirstUse, sitewise: sitewise,
                                  notificationReferences: notificationReferences)
    }

    /// Compiles every string of a notification action that is a whole `$sitewise.…` reference.
    static func compileReferences(_ value: ActionParameterValue, _ path: String, _ compiler: inout ModelExpressionCompiler,
                                  _ sitewise: inout [SiteWiseReference], _ found: inout NotificationReferences) throws(ServiceError) {
        switch value {
        case .text(let s):
            guard s.utf8HasPrefix("$sitewise."), found[s] == nil else { return }
            found.add(s, try compiler.expression(s, path))
            try noteSiteWise(compiler.symbols, &sitewise, path)
        case .object(let members):
            for m in members { try compileReferences(m.value, "\(path).\(m.name)", &compiler, &sitewise, &found) }
        case .array(let values):
            for (i, v) in values.enumerated() { try compileReferences(v, "\(path)[\(i)]", &compiler, &sitewise, &found) }
        case .integer, .boolean:
            return
        }
    }

    /// Records the `$sitewise` references the expressions compiled so far added (new slots are
    /// appended, so they follow `found`'s last slot); one this engine cannot resolve is an error
    /// naming the expression's path.
    static func noteSiteWise(_ symbols: ExpressionSymbols, _ found: inout [SiteWiseReference], _ path: String) throws(ServiceError) {
        var start = 0
        for r in found where r.slot >= start { start = r.slot + 1 }
        for slot in start..<symbols.inputAttributes.count {
            let a = symbols.inputAttributes[slot]
            guard a.inputName == ExpressionSymbols.sitewiseInput else { continue }
            var seen = false
            for r in found where r.slot == slot { seen = true }
            if seen { continue }
            guard let r = SiteWiseReference(slot: slot, path: a.path) else {
                throw .invalidRequest("\(path): \(a.text) is not a SiteWise reference this engine resolves; expected \(SiteWiseReference.forms)")
            }
            found.append(r)
        }
    }
}
