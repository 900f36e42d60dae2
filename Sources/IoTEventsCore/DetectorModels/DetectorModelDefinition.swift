/// A detector model's definition as `CreateDetectorModel` / `UpdateDetectorModel` give it
/// (docs/behaviour.md §2.1), before its expressions are compiled. Expression fields hold their source
/// text; the model compiler turns them into executable form.
package struct DetectorModelDefinition: Equatable, Sendable {
    package var states: [StateDefinition]
    package var initialStateName: String

    package init(states: [StateDefinition], initialStateName: String) {
        self.states = states
        self.initialStateName = initialStateName
    }
}

package struct StateDefinition: Equatable, Sendable {
    package var stateName: String
    package var onEnter: [EventDefinition]
    package var onInput: [EventDefinition]
    package var transitions: [TransitionDefinition]
    package var onExit: [EventDefinition]

    package init(stateName: String, onEnter: [EventDefinition] = [], onInput: [EventDefinition] = [],
                transitions: [TransitionDefinition] = [], onExit: [EventDefinition] = []) {
        self.stateName = stateName
        self.onEnter = onEnter
        self.onInput = onInput
        self.transitions = transitions
        self.onExit = onExit
    }
}

package struct EventDefinition: Equatable, Sendable {
    package var eventName: String
    /// nil: the event always fires.
    package var condition: String?
    package var actions: [ActionDefinition]

    package init(eventName: String, condition: String?, actions: [ActionDefinition]) {
        self.eventName = eventName
        self.condition = condition
        self.actions = actions
    }
}

package struct TransitionDefinition: Equatable, Sendable {
    package var eventName: String
    package var condition: String
    package var nextState: String
    package var actions: [ActionDefinition]

    package init(eventName: String, condition: String, nextState: String, actions: [ActionDefinition]) {
        self.eventName = eventName
        self.condition = condition
        self.nextState = nextState
        self.actions = actions
    }
}

/// One element of an `actions` list: exactly one action member was set.
package enum ActionDefinition: Equatable, Sendable {
    case setVariable(name: String, value: String)
    /// Exactly one of `seconds` and `durationExpression`.
    case setTimer(name: String, seconds: Int64?, durationExpression: String?)
    case resetTimer(name: String)
    case clearTimer(name: String)
    case external(ExternalActionDefinition)
}

/// The external action kinds, by their member names in the API.
package enum ExternalActionKind: String, Equatable, Sendable, CaseIterable {
    case sns, iotTopicPublish, lambda, iotEvents, sqs, firehose, dynamoDB, dynamoDBv2, iotSiteWise
}

/// An external action: its kind, its parameters as given (in order), and its custom payload.
package struct ExternalActionDefinition: Equatable, Sendable {
    package var kind: ExternalActionKind
    package var parameters: [ActionParameter]
    package var payload: PayloadDefinition?

    package init(kind: ExternalActionKind, parameters: [ActionParameter], payload: PayloadDefinition?) {
        self.kind = kind
        self.parameters = parameters
        self.payload = payload
    }
}

/// A parameter of an external action, kept in its JSON type so the action document can echo it.
package indirect enum ActionParameterValue: Equatable, Sendable {
    case text(String)
    case integer(Int64)
    case boolean(Bool)
    case object([ActionParameter])
    /// Only in alarm notification actions (`smsConfigurations`, `recipients.to`, …).
    case array([ActionParameterValue])
}

package struct ActionParameter: Equatable, Sendable {
    package var name: String
    package var value: ActionParameterValue

    package init(name: String, value: ActionParameterValue) {
        self.name = name
        self.value = value
    }
}

package struct PayloadDefinition: Equatable, Sendable {
    package enum PayloadType: String, Equatable, Sendable {
        case json = "JSON"
        case string = "STRING"
    }

    package var contentExpression: String
    package var type: PayloadType

    package init(contentExpression: String, type: PayloadType) {
        self.contentExpression = contentExpression
        self.type = type
    }
}
