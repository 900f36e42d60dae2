/// One instance of an alarm model (docs/behaviour.md §5.2): its state, what `alarmState` records
/// (§5.5), the input values its rule reads, and its snooze.
package struct Alarm: Sendable, KeyedInstance {
    /// The key value; "" for the single alarm of a keyless model.
    package let key: String
    package internal(set) var state: AlarmStateName
    package internal(set) var ruleEvaluation: RuleEvaluationRecord?
    package internal(set) var customerAction: CustomerActionRecord?
    /// Set by a snooze timeout, until the next change (§5.5).
    package internal(set) var snoozeTimedOut = false
    /// By input attribute slot: the value the last message on that attribute's input carried.
    var attributes: [ExpressionValue]
    /// When the running snooze ends; nil when not snoozed.
    package internal(set) var snoozeDeadline: Millis?
    /// Which snooze the queue entry belongs to (entries of earlier snoozes are stale).
    var snoozeGeneration: UInt64 = 0
    package let creationTime: Millis
    package internal(set) var lastUpdateTime: Millis

    init(key: String, version: AlarmModelVersion, now: Millis) {
        self.key = key
        self.state = version.request.disabledOnInitialization ? .disabled : .normal
        self.attributes = Array(repeating: .undefined, count: version.compiled.symbols.inputAttributes.count)
        self.creationTime = now
        self.lastUpdateTime = now
    }

    package var keyValue: String? { key.isEmpty ? nil : key }
}
