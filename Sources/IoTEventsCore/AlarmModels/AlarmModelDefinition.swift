/// `alarmRule.simpleRule.comparisonOperator` (docs/behaviour.md §5.1).
package enum ComparisonOperator: String, Equatable, Sendable, CaseIterable {
    case greater = "GREATER"
    case greaterOrEqual = "GREATER_OR_EQUAL"
    case less = "LESS"
    case lessOrEqual = "LESS_OR_EQUAL"
    case equal = "EQUAL"
    case notEqual = "NOT_EQUAL"

    /// The comparison of an ordering result (-1, 0, 1) of input property against threshold.
    func holds(_ order: Int) -> Bool {
        switch self {
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .equal: return order == 0
        case .notEqual: return order != 0
        }
    }
}

/// `alarmRule.simpleRule`: both sides are expressions (§5.1).
package struct SimpleRuleDefinition: Equatable, Sendable {
    package var inputProperty: String
    package var comparisonOperator: ComparisonOperator
    package var threshold: String

    package init(inputProperty: String, comparisonOperator: ComparisonOperator, threshold: String) {
        self.inputProperty = inputProperty
        self.comparisonOperator = comparisonOperator
        self.threshold = threshold
    }
}

/// `alarmCapabilities`, as given (nil members were absent), so DescribeAlarmModel echoes it.
package struct AlarmCapabilities: Equatable, Sendable {
    package var disabledOnInitialization: Bool?
    package var acknowledgeFlowEnabled: Bool?

    package init(disabledOnInitialization: Bool?, acknowledgeFlowEnabled: Bool?) {
        self.disabledOnInitialization = disabledOnInitialization
        self.acknowledgeFlowEnabled = acknowledgeFlowEnabled
    }
}

/// What `CreateAlarmModel` / `UpdateAlarmModel` ask for, once validated against the service
/// model. The key is fixed at creation (UpdateAlarmModel has no `key`).
package struct AlarmModelRequest: Sendable {
    package var name: String
    package var description: String?
    package var roleArn: String
    package var severity: Int64?
    package var rule: SimpleRuleDefinition
    /// `alarmNotification.notificationActions`, each the `NotificationAction` object as given
    /// (`action.lambdaAction`, `smsConfigurations`, `emailConfigurations`): the engine passes them
    /// to the host untouched. nil when `alarmNotification` was absent.
    package var notificationActions: [ActionParameterValue]?
    /// `alarmEventActions.alarmActions`; nil when `alarmEventActions` was absent, [] when it had no list.
    package var eventActions: [ExternalActionDefinition]?
    package var capabilities: AlarmCapabilities?

    package init(name: String, description: String?, roleArn: String, severity: Int64?, rule: SimpleRuleDefinition,
                notificationActions: [ActionParameterValue]?, eventActions: [ExternalActionDefinition]?,
                capabilities: AlarmCapabilities?) {
        self.name = name
        self.description = description
        self.roleArn = roleArn
        self.severity = severity
        self.rule = rule
        self.notificationActions = notificationActions
        self.eventActions = eventActions
        self.capabilities = capabilities
    }

    /// New alarms start DISABLED unless the model says otherwise (§5.1: the documented default,
    /// also when `alarmCapabilities` is absent).
    package var disabledOnInitialization: Bool { capabilities?.disabledOnInitialization ?? true }
    /// The acknowledge flow is on unless the model turns it off (§5.1 [A], §9 item 25).
    package var acknowledgeFlowEnabled: Bool { capabilities?.acknowledgeFlowEnabled ?? true }
}
