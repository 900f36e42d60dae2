/// One executed external action, evaluated, as the runtime hands it to the API layer, which turns
/// it into the action document of `include/iotevents.h` (`iotevents_action_fn`). Plain values:
/// the core never builds JSON trees.
package struct ActionRecord: Sendable {
    package var kind: ExternalActionKind
    /// An alarm notification (`"type": "alarmNotification"`): `kind` is then `lambda` and
    /// `parameters` the model's NotificationAction object.
    package var isAlarmNotification = false
    /// The model's parameters with every expression replaced by its value, in definition order.
    package var parameters: [EvaluatedParameter]
    /// The payload text (the default document of §4.5 or the evaluated `contentExpression`).
    package var payload: String
    package var payloadType: PayloadDefinition.PayloadType
    package var source: ActionSource
    package var eventTime: Millis
    /// Set when the action could not be carried out (an `iotEvents` loop-back that was not
    /// delivered); the host still sees the action.
    package var error: String?
}

package struct EvaluatedParameter: Sendable {
    package enum Value: Sendable {
        case literal(ActionParameterValue)
        case value(ExpressionValue)
        case object([EvaluatedParameter])
    }

    package var name: String
    package var value: Value
}

/// Which model, instance, state and event an action came from.
package struct ActionSource: Sendable {
    package enum ModelKind: Sendable {
        case detectorModel
        case alarmModel
    }

    package var modelKind: ModelKind = .detectorModel
    package var modelName: String
    package var modelVersion: String
    package var keyValue: String?
    package var stateName: String
    /// The detector event that ran the action; nil for alarm actions.
    package var eventName: String?
}

/// A message an `iotEvents` action feeds back (§4.7), queued until the current message or expiry
/// has been fully processed.
package struct LoopbackMessage: Sendable {
    package var inputName: String
    package var messageId: String
    package var payload: String
    /// 1 for a message looped back from an original message, and so on.
    package var depth: Int
    package var eventTime: Millis
    /// The index in `RunOutput.actions` of the action that sent it.
    package var actionIndex: Int
}

/// Everything one engine call produced, in execution order.
package struct RunOutput: Sendable {
    package var actions: [ActionRecord] = []
    package var loopbacks: [LoopbackMessage] = []
    /// Actions that failed and were skipped (§2.4 rule 9: AWS only logged these), by reason.
    package var failures = ActionFailureCounts()
    /// Detector and alarm evaluations the call has run, loop-backs included: what
    /// `limits.maxEvaluationsPerCall` bounds.
    package var evaluations = 0
    /// The rest of what the engine's counters count (`Engine+Counters.swift`), folded into
    /// them once per call.
    package var transitions = 0
    package var timersFired = 0
    package var messagesAccepted = 0
    package var duplicateMessages = 0
    /// The kinds of the call's per-entry errors (a refused message, alarm action, value).
    package var refusals: [ServiceError.Kind] { refused ?? [] }
    /// Records for the host's log handler, in the order things happened (empty with logging off).
    package var traces: [TraceRecord] { traced ?? [] }
    /// nil until the first one: a RunOutput is made for every evaluation, and an empty array
    /// still costs a retain and a release of the shared empty storage.
    private var refused: [ServiceError.Kind]?
    private var traced: [TraceRecord]?

    mutating func refuse(_ kind: ServiceError.Kind) {
        if refused == nil { refused = [] }
        refused?.append(kind)
    }

    mutating func trace(_ record: TraceRecord) {
        if traced == nil { traced = [] }
        traced?.append(record)
    }

    package init() {}
}
