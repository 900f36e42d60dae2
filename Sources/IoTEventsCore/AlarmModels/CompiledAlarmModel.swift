/// An alarm model with its rule and actions compiled against one symbol table (semantics.md §5.1,
/// §5.3): what alarms evaluate.
public struct CompiledAlarmModel: Sendable {
    public var symbols: ExpressionSymbols
    public var inputProperty: CompiledExpression
    public var threshold: CompiledExpression
    public var eventActions: [CompiledExternalAction]
    /// For each of `symbols.inputNames`, the path of the first expression that names it.
    public var inputFirstUse: [String]
}

extension AlarmModelRequest {
    /// Compiles the rule and the event actions. An expression that does not compile is an
    /// `InvalidRequestException` naming its path: `alarmRule.simpleRule.threshold: column 3: …`.
    /// The rule must read an input (§1.6: otherwise no message would ever reach the alarm).
    public func compile(limits: Limits) throws(ServiceError) -> CompiledAlarmModel {
        var compiler = ModelExpressionCompiler(limits: limits)
        let rulePath = "alarmRule.simpleRule"
        let property = try compiler.expression(rule.inputProperty, "\(rulePath).inputProperty", isCondition: true)
        let threshold = try compiler.expression(rule.threshold, "\(rulePath).threshold", isCondition: true)
        if !compiler.conditionReadsInput {
            throw .invalidRequest("\(rulePath).inputProperty: the rule reads no input; inputProperty (or threshold) must read $input.<InputName>.<attribute>")
        }
        var actions: [CompiledExternalAction] = []
        let list = eventActions ?? []
        if list.count > limits.maxActionsPerEvent {
            throw .invalidRequest("alarmEventActions.alarmActions: \(list.count) actions; at most \(limits.maxActionsPerEvent) are allowed (limit maxActionsPerEvent)")
        }
        for (i, action) in list.enumerated() {
            actions.append(try compiler.external(action, "alarmEventActions.alarmActions[\(i)].\(action.kind.rawValue)"))
        }
        if let notifications = notificationActions, notifications.count > limits.maxActionsPerEvent {
            throw .invalidRequest("alarmNotification.notificationActions: \(notifications.count) actions; at most \(limits.maxActionsPerEvent) are allowed (limit maxActionsPerEvent)")
        }
        return CompiledAlarmModel(symbols: compiler.symbols, inputProperty: property, threshold: threshold,
                                  eventActions: actions, inputFirstUse: compiler.inputFirstUse)
    }
}
