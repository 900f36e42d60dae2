/// The six states of an alarm (docs/behaviour.md §5.4), spelled as the API spells them.
package enum AlarmStateName: String, Equatable, Sendable, CaseIterable {
    case disabled = "DISABLED"
    case normal = "NORMAL"
    case active = "ACTIVE"
    case acknowledged = "ACKNOWLEDGED"
    case snoozeDisabled = "SNOOZE_DISABLED"
    case latched = "LATCHED"
}

/// An operator action of the Batch*Alarm calls (§5.4 b), as `customerAction.actionName` spells it.
package enum AlarmOperatorAction: String, Equatable, Sendable, CaseIterable {
    case acknowledge = "ACKNOWLEDGE"
    case snooze = "SNOOZE"
    case disable = "DISABLE"
    case enable = "ENABLE"
    case reset = "RESET"
}

/// The latest rule evaluation (§5.3, §5.5): both sides as evaluated, and the operator.
package struct RuleEvaluationRecord: Equatable, Sendable {
    package var inputPropertyValue: ExpressionValue
    package var comparisonOperator: ComparisonOperator
    package var thresholdValue: ExpressionValue
}

/// The latest operator action (§5.5).
package struct CustomerActionRecord: Equatable, Sendable {
    package var action: AlarmOperatorAction
    package var note: String?
    /// SNOOZE only.
    package var snoozeDuration: Int64?
}

/// The alarm state machine of §5.4 as pure functions, so that the whole transition table can be
/// read (and tested) in one place.
package enum AlarmTransitions {
    /// The state after a rule evaluation (§5.4 a); DISABLED and SNOOZE_DISABLED ignore data and
    /// are never passed here.
    package static func afterRule(_ state: AlarmStateName, ruleTrue: Bool, acknowledgeFlow: Bool) -> AlarmStateName {
        switch state {
        case .normal: return ruleTrue ? .active : .normal
        case .active: return ruleTrue ? .active : (acknowledgeFlow ? .latched : .normal)
        case .acknowledged: return ruleTrue ? .acknowledged : .normal
        case .latched: return ruleTrue ? .active : .latched
        case .disabled, .snoozeDisabled: return state
        }
    }

    /// The state an operator action leads to (§5.4 b), or nil when the action is not allowed
    /// from `state`.
    package static func afterAction(_ action: AlarmOperatorAction, from state: AlarmStateName, acknowledgeFlow: Bool) -> AlarmStateName? {
        switch action {
        case .acknowledge:
            guard acknowledgeFlow else { return nil }
            switch state {
            case .active: return .acknowledged
            case .latched: return .normal
            default: return nil
            }
        case .snooze:
            return state == .disabled ? nil : .snoozeDisabled
        case .disable:
            return state == .disabled ? nil : .disabled
        case .enable:
            return state == .disabled || state == .snoozeDisabled ? .normal : nil
        case .reset:
            return state == .disabled || state == .snoozeDisabled ? nil : .normal
        }
    }

    /// Whether the alarm evaluates its rule in `state`.
    package static func evaluates(in state: AlarmStateName) -> Bool {
        state != .disabled && state != .snoozeDisabled
    }
}
