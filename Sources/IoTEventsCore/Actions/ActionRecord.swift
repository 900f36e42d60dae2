/// One executed external action, evaluated, as the runtime hands it to the API layer, which turns
/// it into the action document of `include/iotevents.h` (`iotevents_action_fn`). Plain values:
/// the core never builds JSON trees.
public struct ActionRecord: Sendable {
    public var kind: ExternalActionKind
    /// An alarm notification (`"type": "alarmNotification"`): `kind` is then `lambda` and
    /// `parameters` the model's NotificationAction object.
    public var isAlarmNotification = false
    /// The model's parameters with every expression replaced by its value, in definition order.
    public var parameters: [EvaluatedParameter]
    /// The payload text (the default document of §4.5 or the evaluated `contentExpression`).
    public var payload: String
    public var payloadType: PayloadDefinition.PayloadType
    public var source: ActionSource
    public var eventTime: Millis
    /// Set when the action could not be carried out (an `iotEvents` loop-back that was not
    /// delivered); the host still sees the action.
    public var error: String?
}

public struct EvaluatedParameter: Sendable {
    public enum Value: Sendable {
        case literal(ActionParameterValue)
        case value(ExpressionValue)
        case object([EvaluatedParameter])
    }

    public var name: String
    public var value: Value
}

/// Which model, instance, state and event an action came from.
public struct ActionSource: Sendable {
    public enum ModelKind: Sendable {
        case detectorModel
        case alarmModel
    }

    public var modelKind: ModelKind = .detectorModel
    public var modelName: String
    public var modelVersion: String
    public var keyValue: String?
    public var stateName: String
    /// The detector event that ran the action; nil for alarm actions.
    public var eventName: String?
}

/// A message an `iotEvents` action feeds back (§4.7), queued until the current message or expiry
/// has been fully processed.
public struct LoopbackMessage: Sendable {
    public var inputName: String
    public var messageId: String
    public var payload: String
    /// 1 for a message looped back from an original message, and so on.
    public var depth: Int
    public var eventTime: Millis
    /// The index in `RunOutput.actions` of the action that sent it.
    public var actionIndex: Int
}

/// Everything one engine call produced, in execution order.
public struct RunOutput: Sendable {
    public var actions: [ActionRecord] = []
    public var loopbacks: [LoopbackMessage] = []
    /// How many actions failed and were skipped (§2.4 rule 9: AWS only logged these).
    public var failedActions = 0
    /// Detector and alarm evaluations the call has run, loop-backs included: what
    /// `limits.maxEvaluationsPerCall` bounds.
    public var evaluations = 0

    public init() {}
}
