/// Every place of a definition the analysis looks at, found in one walk so that each check reads a
/// flat list instead of re-walking states, events and actions: the expressions (with what they
/// are for) and the actions, each with its path and the state it belongs to.
struct ModelSites {
    enum Role: Equatable {
        case condition
        /// A `setVariable` value; the variable's name.
        case value(String)
        case duration
        case payload
        /// An action parameter that is an expression (DynamoDB, DynamoDBv2, SiteWise).
        case parameter
        /// `iotTopicPublish.mqttTopic`: an expression only when it parses (§4.4), so never a
        /// syntax error.
        case topic
    }

    struct Expression {
        var path: String
        var text: String
        var role: Role
        var state: Int
        /// A transition's condition (required, unlike an event's).
        var isTransition = false
    }

    struct Action {
        var path: String
        var action: ActionDefinition
        var state: Int
    }

    /// An event list or an event's action list, for the count quotas.
    struct List {
        var path: String
        var count: Int
        var isActions: Bool
    }

    private(set) var expressions: [Expression] = []
    private(set) var actions: [Action] = []
    private(set) var lists: [List] = []

    init(_ definition: DetectorModelDefinition) {
        for (i, state) in definition.states.enumerated() {
            let at = "states[\(i)]"
            addEvents(state.onEnter, "\(at).onEnter.events", i)
            addEvents(state.onInput, "\(at).onInput.events", i)
            lists.append(List(path: "\(at).onInput.transitionEvents", count: state.transitions.count, isActions: false))
            for (j, t) in state.transitions.enumerated() {
                let tat = "\(at).onInput.transitionEvents[\(j)]"
                expressions.append(Expression(path: "\(tat).condition", text: t.condition, role: .condition, state: i, isTransition: true))
                addActions(t.actions, "\(tat).actions", i)
            }
            addEvents(state.onExit, "\(at).onExit.events", i)
        }
    }

    private mutating func addEvents(_ events: [EventDefinition], _ path: String, _ state: Int) {
        lists.append(List(path: path, count: events.count, isActions: false))
        for (j, e) in events.enumerated() {
            if let c = e.condition {
                expressions.append(Expression(path: "\(path)[\(j)].condition", text: c, role: .condition, state: state))
            }
            addActions(e.actions, "\(path)[\(j)].actions", state)
        }
    }

    private mutating func addActions(_ list: [ActionDefinition], _ path: String, _ state: Int) {
        lists.append(List(path: path, count: list.count, isActions: true))
        for (k, action) in list.enumerated() {
            let at = "\(path)[\(k)]"
            switch action {
            case .setVariable(let name, let value):
                actions.append(Action(path: "\(at).setVariable", action: action, state: state))
                expressions.append(Expression(path: "\(at).setVariable.value", text: value, role: .value(name), state: state))
            case .setTimer(_, _, let duration):
                actions.append(Action(path: "\(at).setTimer", action: action, state: state))
                if let d = duration {
                    expressions.append(Expression(path: "\(at).setTimer.durationExpression", text: d, role: .duration, state: state))
                }
            case .resetTimer:
                actions.append(Action(path: "\(at).resetTimer", action: action, state: state))
            case .clearTimer:
                actions.append(Action(path: "\(at).clearTimer", action: action, state: state))
            case .external(let external):
                let eat = "\(at).\(external.kind.rawValue)"
                actions.append(Action(path: eat, action: action, state: state))
                // The same parameters the model compiler treats as expressions.
                let all = external.kind == .dynamoDB || external.kind == .dynamoDBv2 || external.kind == .iotSiteWise
                addParameters(external.parameters, eat, all: all, kind: external.kind, state)
                if let p = external.payload {
                    expressions.append(Expression(path: "\(eat).payload.contentExpression", text: p.contentExpression, role: .payload, state: state))
                }
            }
        }
    }

    private mutating func addParameters(_ parameters: [ActionParameter], _ path: String, all: Bool, kind: ExternalActionKind, _ state: Int) {
        for p in parameters {
            let at = "\(path).\(p.name)"
            switch p.value {
            case .object(let members): addParameters(members, at, all: all, kind: kind, state)
            case .text(let text):
                if all {
                    expressions.append(Expression(path: at, text: text, role: .parameter, state: state))
                } else if kind == .iotTopicPublish && p.name == "mqttTopic" {
                    expressions.append(Expression(path: at, text: text, role: .topic, state: state))
                }
            case .integer, .boolean, .array: break
            }
        }
    }
}
