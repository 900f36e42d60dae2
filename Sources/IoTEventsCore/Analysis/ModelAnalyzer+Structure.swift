/// structure: the state machine itself. Duplicate or undefined state names, transitions to
/// states that do not exist, `setTimer` without exactly one duration, a model no condition of
/// which reads an input (all ERROR: CreateDetectorModel refuses them), and states no transition
/// reaches (WARNING: they are allowed but never run).
extension ModelAnalyzer {
    mutating func checkStructure() {
        var seen: [String: Bool] = [:]
        for (i, state) in definition.states.enumerated() {
            if seen[state.stateName] != nil {
                add(.structure, .error, "The state \(state.stateName) is defined more than once", ["states[\(i)].stateName"])
            }
            seen[state.stateName] = true
        }
        let index = stateIndex
        let initialKnown = index[definition.initialStateName] != nil
        if !initialKnown {
            add(.structure, .error, "The initial state \(definition.initialStateName) is not a state of this model", ["initialStateName"])
        }
        for (i, state) in definition.states.enumerated() {
            for (j, t) in state.transitions.enumerated() where ModelAnalyzer.isBlank(t.condition) {
                add(.structure, .error, "The transition \(t.eventName) has no condition: a transition needs one to fire",
                    ["states[\(i)].onInput.transitionEvents[\(j)].condition"])
            }
            for (j, t) in state.transitions.enumerated() where index[t.nextState] == nil {
                add(.structure, .error, "The transition \(t.eventName) goes to \(t.nextState), which is not a state of this model",
                    ["states[\(i)].onInput.transitionEvents[\(j)].nextState"])
            }
        }
        for site in sites.actions {
            if case .setTimer(let name, let seconds, let expression) = site.action, (seconds == nil) == (expression == nil) {
                add(.structure, .error, "setTimer \(name) must set exactly one of seconds and durationExpression", [site.path])
            }
        }
        checkConditionsReadInputs()
        if initialKnown {
            let reachable = reachableStates
            for (i, state) in definition.states.enumerated() where !reachable[i] {
                add(.structure, .warning, "No transition leads to the state \(state.stateName) from the initial state: it never runs", ["states[\(i)]"])
            }
        }
    }

    /// §1.6: a model whose conditions read no input is never routed a message.
    private mutating func checkConditionsReadInputs() {
        var conditions: [String] = []
        for (k, site) in sites.expressions.enumerated() where site.role == .condition {
            conditions.append(site.path)
            if ModelAnalyzer.isBlank(site.text) { continue }  // reads nothing
            // Unparsable: it may read an input; expression-syntax reports it.
            guard let tree = syntax[k] else { return }
            let refs = ExpressionReferences(tree)
            if !refs.inputAttributes.isEmpty || !refs.currentInputs.isEmpty { return }
        }
        add(.structure, .error,
            "No condition reads an input: at least one event or transition condition must read $input.<InputName> or test currentInput(\"<InputName>\")",
            conditions.isEmpty ? ["states"] : conditions)
    }

    /// Empty or only spaces: the shape allows it, but there is no condition to evaluate.
    static func isBlank(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
    }
}
