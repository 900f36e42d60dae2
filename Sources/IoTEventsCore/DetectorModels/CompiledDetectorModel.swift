/// A detector model with every expression compiled against one symbol table, states and timers
/// resolved to numbers: the form the detector runtime executes (docs/behaviour.md §2.1, §3.1).
package struct CompiledDetectorModel: Sendable {
    package var symbols: ExpressionSymbols
    package var states: [CompiledState]
    package var initialState: Int
    /// For each of `symbols.inputNames`, the path of the first expression that names it, so
    /// that errors about an input point at where the model uses it.
    package var inputFirstUse: [String]
    /// Some event or transition condition reads an input (§1.6: a model must).
    package var conditionReadsInput: Bool
}

/// States, events and transitions are immutable objects the detectors of a version share: an
/// evaluation walks them on every message, and as structs each one read out of its array
/// retained and released every member (name, condition, actions) on the way.
package final class CompiledState: Sendable {
    package let name: String
    package let onEnter: [CompiledEvent]
    package let onInput: [CompiledEvent]
    package let transitions: [CompiledTransition]
    package let onExit: [CompiledEvent]

    package init(name: String, onEnter: [CompiledEvent], onInput: [CompiledEvent], transitions: [CompiledTransition], onExit: [CompiledEvent]) {
        self.name = name
        self.onEnter = onEnter
        self.onInput = onInput
        self.transitions = transitions
        self.onExit = onExit
    }
}

package final class CompiledEvent: Sendable {
    package let name: String
    /// nil: no condition, the event always fires.
    package let condition: CompiledExpression?
    package let actions: [CompiledAction]

    package init(name: String, condition: CompiledExpression?, actions: [CompiledAction]) {
        self.name = name
        self.condition = condition
        self.actions = actions
    }
}

package final class CompiledTransition: Sendable {
    package let name: String
    package let condition: CompiledExpression
    package let nextState: Int
    package let actions: [CompiledAction]

    package init(name: String, condition: CompiledExpression, nextState: Int, actions: [CompiledAction]) {
        self.name = name
        self.condition = condition
        self.nextState = nextState
        self.actions = actions
    }
}

package enum CompiledAction: Sendable {
    /// The variable's slot in `symbols.variableNames`.
    case setVariable(Int, CompiledExpression)
    /// Timer ids index `symbols.timerNames`.
    case setTimer(Int, seconds: Int64?, duration: CompiledExpression?)
    case resetTimer(Int)
    case clearTimer(Int)
    case external(CompiledExternalAction)
}

package struct CompiledExternalAction: Sendable {
    package var kind: ExternalActionKind
    package var parameters: [CompiledParameter]
    package var payload: CompiledExpression?
    package var payloadType: PayloadDefinition.PayloadType?
}

package struct CompiledParameter: Sendable {
    package enum Value: Sendable {
        /// ARNs, URLs, names, flags: used as given.
        case literal(ActionParameterValue)
        case expression(CompiledExpression)
        case object([CompiledParameter])
    }

    package var name: String
    package var value: Value
}

extension DetectorModelDefinition {
    /// Checks the structure, then compiles every expression of the model. An expression that does
    /// not compile is an `InvalidRequestException` naming its path and column:
    /// `detectorModelDefinition.states[1].onInput.transitionEvents[0].condition: column 7: …`.
    package func compile(limits: Limits) throws(ServiceError) -> CompiledDetectorModel {
        try validateStructure(limits: limits)
        var compiler = ModelExpressionCompiler(limits: limits)
        let root = "detectorModelDefinition"
        var stateIndex: [String: Int] = [:]
        for (i, state) in states.enumerated() { stateIndex[state.stateName] = i }
        var compiled: [CompiledState] = []
        for (i, state) in states.enumerated() {
            let at = "\(root).states[\(i)]"
            var transitions: [CompiledTransition] = []
            for (j, t) in state.transitions.enumerated() {
                let tat = "\(at).onInput.transitionEvents[\(j)]"
                transitions.append(CompiledTransition(
                    name: t.eventName,
                    condition: try compiler.expression(t.condition, "\(tat).condition", isCondition: true),
                    nextState: stateIndex[t.nextState] ?? 0,
                    actions: try compiler.actions(t.actions, "\(tat).actions")))
            }
            compiled.append(CompiledState(
                name: state.stateName,
                onEnter: try compiler.events(state.onEnter, "\(at).onEnter.events"),
                onInput: try compiler.events(state.onInput, "\(at).onInput.events"),
                transitions: transitions,
                onExit: try compiler.events(state.onExit, "\(at).onExit.events")))
        }
        if compiler.symbols.variableNames.count > limits.maxVariablesPerModel {
            throw .invalidRequest("\(root): \(compiler.symbols.variableNames.count) variables; at most \(limits.maxVariablesPerModel) are allowed (limit maxVariablesPerModel)")
        }
        return CompiledDetectorModel(symbols: compiler.symbols, states: compiled, initialState: stateIndex[initialStateName] ?? 0,
                                     inputFirstUse: compiler.inputFirstUse, conditionReadsInput: compiler.conditionReadsInput)
    }
}

/// Compiles one model's expressions into one shared symbol table.
struct ModelExpressionCompiler {
    var symbols = ExpressionSymbols()
    let maxDepth: Int
    let maxContentBytes: Int
    /// Parallel to `symbols.inputNames`: where each input was first named.
    private(set) var inputFirstUse: [String] = []
    private(set) var conditionReadsInput = false

    init(limits: Limits) {
        maxDepth = limits.maxExpressionDepth
        maxContentBytes = limits.maxContentExpressionBytes
    }

    mutating func expression(_ text: String, _ path: String, isCondition: Bool = false) throws(ServiceError) -> CompiledExpression {
        let referencesBefore = symbols.inputReferenceCount
        do throws(ExpressionError) {
            let compiled = try ExpressionCompiler.compile(text, symbols: &symbols, maxDepth: maxDepth)
            noteNewInputs(at: path)
            if isCondition && symbols.inputReferenceCount > referencesBefore { conditionReadsInput = true }
            return compiled
        } catch {
            throw .invalidRequest("\(path): \(error.description)")
        }
    }

    private mutating func noteNewInputs(at path: String) {
        while inputFirstUse.count < symbols.inputNames.count { inputFirstUse.append(path) }
    }

    mutating func events(_ events: [EventDefinition], _ path: String) throws(ServiceError) -> [CompiledEvent] {
        var result: [CompiledEvent] = []
        for (i, event) in events.enumerated() {
            var condition: CompiledExpression? = nil
            if let text = event.condition { condition = try expression(text, "\(path)[\(i)].condition", isCondition: true) }
            result.append(CompiledEvent(name: event.eventName, condition: condition, actions: try actions(event.actions, "\(path)[\(i)].actions")))
        }
        return result
    }

    mutating func actions(_ actions: [ActionDefinition], _ path: String) throws(ServiceError) -> [CompiledAction] {
        var result: [CompiledAction] = []
        for (i, action) in actions.enumerated() {
            let at = "\(path)[\(i)]"
            switch action {
            case .setVariable(let name, let value):
                let compiledValue = try expression(value, "\(at).setVariable.value")
                result.append(.setVariable(symbols.intern(variable: name), compiledValue))
            case .setTimer(let name, let seconds, let durationExpression):
                var duration: CompiledExpression? = nil
                if let text = durationExpression { duration = try expression(text, "\(at).setTimer.durationExpression") }
                result.append(.setTimer(symbols.intern(timer: name), seconds: seconds, duration: duration))
            case .resetTimer(let name): result.append(.resetTimer(symbols.intern(timer: name)))
            case .clearTimer(let name): result.append(.clearTimer(symbols.intern(timer: name)))
            case .external(let external):
                result.append(.external(try self.external(external, "\(at).\(external.kind.rawValue)")))
            }
        }
        return result
    }

    /// Which parameters are expressions (§3.1, §4.4): every parameter of `dynamoDB`, `dynamoDBv2`
    /// and `iotSiteWise`, and `mqttTopic` (taken literally when it does not parse, as AWS's own
    /// samples use bare topics). ARNs, URLs, names and flags are literal.
    mutating func external(_ action: ExternalActionDefinition, _ path: String) throws(ServiceError) -> CompiledExternalAction {
        let allExpressions = action.kind == .dynamoDB || action.kind == .dynamoDBv2 || action.kind == .iotSiteWise
        var parameters: [CompiledParameter] = []
        for parameter in action.parameters {
            parameters.append(try self.parameter(parameter, "\(path).\(parameter.name)", expressions: allExpressions, kind: action.kind))
        }
        var payload: CompiledExpression? = nil
        if let p = action.payload {
            let at = "\(path).payload.contentExpression"
            let size = p.contentExpression.utf8.count
            if size > maxContentBytes {
                throw .invalidRequest("\(at): \(size) bytes; at most \(maxContentBytes) are allowed (limit maxContentExpressionBytes)")
            }
            payload = try expression(p.contentExpression, at)
        }
        return CompiledExternalAction(kind: action.kind, parameters: parameters, payload: payload, payloadType: action.payload?.type)
    }

    private mutating func parameter(_ parameter: ActionParameter, _ path: String, expressions: Bool, kind: ExternalActionKind) throws(ServiceError) -> CompiledParameter {
        switch parameter.value {
        case .object(let members):
            var compiled: [CompiledParameter] = []
            for member in members {
                compiled.append(try self.parameter(member, "\(path).\(member.name)", expressions: expressions, kind: kind))
            }
            return CompiledParameter(name: parameter.name, value: .object(compiled))
        case .text(let text):
            if expressions { return CompiledParameter(name: parameter.name, value: .expression(try expression(text, path))) }
            if kind == .iotTopicPublish && parameter.name == "mqttTopic" {
                var scratch = symbols
                if let compiled = try? ExpressionCompiler.compile(text, symbols: &scratch, maxDepth: maxDepth) {
                    symbols = scratch
                    noteNewInputs(at: path)
                    return CompiledParameter(name: parameter.name, value: .expression(compiled))
                }
            }
            return CompiledParameter(name: parameter.name, value: .literal(parameter.value))
        case .integer, .boolean, .array:
            return CompiledParameter(name: parameter.name, value: .literal(parameter.value))
        }
    }
}
