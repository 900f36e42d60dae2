/// A detector model's definition as `CreateDetectorModel` / `UpdateDetectorModel` give it
/// (docs/behaviour.md §2.1), before its expressions are compiled. Expression fields hold their source
/// text; the model compiler turns them into executable form.
public struct DetectorModelDefinition: Equatable, Sendable {
    public var states: [StateDefinition]
    public var initialStateName: String

    public init(states: [StateDefinition], initialStateName: String) {
        self.states = states
        self.initialStateName = initialStateName
    }
}

public struct StateDefinition: Equatable, Sendable {
    public var stateName: String
    public var onEnter: [EventDefinition]
    public var onInput: [EventDefinition]
    public var transitions: [TransitionDefinition]
    public var onExit: [EventDefinition]

    public init(stateName: String, onEnter: [EventDefinition] = [], onInput: [EventDefinition] = [],
                transitions: [TransitionDefinition] = [], onExit: [EventDefinition] = []) {
        self.stateName = stateName
        self.onEnter = onEnter
        self.onInput = onInput
        self.transitions = transitions
        self.onExit = onExit
    }
}

public struct EventDefinition: Equatable, Sendable {
    public var eventName: String
    /// nil: the event always fires.
    public var condition: String?
    public var actions: [ActionDefinition]

    public init(eventName: String, condition: String?, actions: [ActionDefinition]) {
        self.eventName = eventName
        self.condition = condition
        self.actions = actions
    }
}

public struct TransitionDefinition: Equatable, Sendable {
    public var eventName: String
    public var condition: String
    public var nextState: String
    public var actions: [ActionDefinition]

    public init(eventName: String, condition: String, nextState: String, actions: [ActionDefinition]) {
        self.eventName = eventName
        self.condition = condition
        self.nextState = nextState
        self.actions = actions
    }
}

/// One element of an `actions` list: exactly one action member was set.
public enum ActionDefinition: Equatable, Sendable {
    case setVariable(name: String, value: String)
    /// Exactly one of `seconds` and `durationExpression`.
    case setTimer(name: String, seconds: Int64?, durationExpression: String?)
    case resetTimer(name: String)
    case clearTimer(name: String)
    case external(ExternalActionDefinition)
}

/// The external action kinds, by their member names in the API.
public enum ExternalActionKind: String, Equatable, Sendable, CaseIterable {
    case sns, iotTopicPublish, lambda, iotEvents, sqs, firehose, dynamoDB, dynamoDBv2, iotSiteWise
}

/// An external action: its kind, its parameters as given (in order), and its custom payload.
public struct ExternalActionDefinition: Equatable, Sendable {
    public var kind: ExternalActionKind
    public var parameters: [ActionParameter]
    public var payload: PayloadDefinition?

    public init(kind: ExternalActionKind, parameters: [ActionParameter], payload: PayloadDefinition?) {
        self.kind = kind
        self.parameters = parameters
        self.payload = payload
    }
}

/// A parameter of an external action, kept in its JSON type so the action document can echo it.
public indirect enum ActionParameterValue: Equatable, Sendable {
    case text(String)
    case integer(Int64)
    case boolean(Bool)
    case object([ActionParameter])
    /// Only in alarm notification actions (`smsConfigurations`, `recipients.to`, …).
    case array([ActionParameterValue])
}

public struct ActionParameter: Equatable, Sendable {
    public var name: String
    public var value: ActionParameterValue

    public init(name: String, value: ActionParameterValue) {
        self.name = name
        self.value = value
    }
}

public struct PayloadDefinition: Equatable, Sendable {
    public enum PayloadType: String, Equatable, Sendable {
        case json = "JSON"
        case string = "STRING"
    }

    public var contentExpression: String
    public var type: PayloadType

    public init(contentExpression: String, type: PayloadType) {
        self.contentExpression = contentExpression
        self.type = type
    }
}
