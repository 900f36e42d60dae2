/// The structural rules of docs/behaviour.md §2.1 that do not need the expression compiler: unique
/// states, references to defined states, `seconds` xor `durationExpression`, and the structural
/// quotas. CreateDetectorModel refuses a definition with the first problem; the analysis
/// (StartDetectorModelAnalysis) reports every one. Paths are relative to the definition.
package struct DefinitionProblem: Sendable {
    package enum Kind: Sendable {
        /// A quota exceeded (analysis type `service-limits`).
        case limit
        /// The state machine itself (analysis type `structure`).
        case structure
    }

    package let kind: Kind
    /// Where, in the definition: `states[1].onInput.transitionEvents[0].nextState`.
    package let path: String
    package let message: String
}

extension DetectorModelDefinition {
    package func validateStructure(limits: Limits) throws(ServiceError) {
        if let first = structureProblems(limits: limits).first {
            throw .invalidRequest("detectorModelDefinition.\(first.path): \(first.message)")
        }
    }

    /// Every structural problem, in the definition's order.
    package func structureProblems(limits: Limits) -> [DefinitionProblem] {
        var problems: [DefinitionProblem] = []
        func limit(_ path: String, _ message: String) { problems.append(DefinitionProblem(kind: .limit, path: path, message: message)) }
        func structure(_ path: String, _ message: String) { problems.append(DefinitionProblem(kind: .structure, path: path, message: message)) }
        func count(_ n: Int, _ what: String, _ path: String, _ max: Int, _ name: String) {
            if n > max { limit(path, "\(n) \(what); at most \(max) are allowed (limit \(name))") }
        }
        func actions(_ list: [ActionDefinition], _ path: String) {
            count(list.count, "actions", path, limits.maxActionsPerEvent, "maxActionsPerEvent")
            for (i, action) in list.enumerated() {
                if case .setTimer(_, let seconds, let expression) = action, (seconds == nil) == (expression == nil) {
                    structure("\(path)[\(i)].setTimer", "set exactly one of seconds and durationExpression")
                }
            }
        }
        func events(_ list: [EventDefinition], _ path: String) {
            count(list.count, "events", path, limits.maxEventsPerList, "maxEventsPerList")
            for (i, event) in list.enumerated() { actions(event.actions, "\(path)[\(i)].actions") }
        }

        count(states.count, "states", "states", limits.maxStatesPerModel, "maxStatesPerModel")
        var names: [String] = []
        for (i, state) in states.enumerated() {
            if names.contains(state.stateName) {
                structure("states[\(i)].stateName", "the state \(state.stateName) is defined more than once")
            }
            names.append(state.stateName)
        }
        if !names.contains(initialStateName) {
            structure("initialStateName", "\(initialStateName) is not a state of this model")
        }
        for (i, state) in states.enumerated() {
            let at = "states[\(i)]"
            events(state.onEnter, "\(at).onEnter.events")
            events(state.onInput, "\(at).onInput.events")
            events(state.onExit, "\(at).onExit.events")
            count(state.transitions.count, "transition events", "\(at).onInput.transitionEvents", limits.maxEventsPerList, "maxEventsPerList")
            for (j, transition) in state.transitions.enumerated() {
                let tat = "\(at).onInput.transitionEvents[\(j)]"
                if !names.contains(transition.nextState) {
                    structure("\(tat).nextState", "\(transition.nextState) is not a state of this model")
                }
                actions(transition.actions, "\(tat).actions")
            }
        }
        return problems
    }
}
