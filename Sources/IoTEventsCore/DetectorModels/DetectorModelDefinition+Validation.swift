/// The structural rules of docs/behaviour.md §2.1 that do not need the expression compiler: unique
/// states, references to defined states, one member per action, `seconds` xor
/// `durationExpression`, and the structural quotas. Messages name the path of the offending
/// member, as the service model validator does.
extension DetectorModelDefinition {
    package func validateStructure(limits: Limits) throws(ServiceError) {
        let root = "detectorModelDefinition"
        if states.count > limits.maxStatesPerModel {
            throw .invalidRequest("\(root).states: \(states.count) states; at most \(limits.maxStatesPerModel) are allowed (limit maxStatesPerModel)")
        }
        var names: [String] = []
        for (i, state) in states.enumerated() {
            if names.contains(state.stateName) {
                throw .invalidRequest("\(root).states[\(i)].stateName: the state \(state.stateName) is defined more than once")
            }
            names.append(state.stateName)
        }
        if !names.contains(initialStateName) {
            throw .invalidRequest("\(root).initialStateName: \(initialStateName) is not a state of this model")
        }
        for (i, state) in states.enumerated() {
            let at = "\(root).states[\(i)]"
            try DetectorModelDefinition.check(state.onEnter, "\(at).onEnter.events", limits)
            try DetectorModelDefinition.check(state.onInput, "\(at).onInput.events", limits)
            try DetectorModelDefinition.check(state.onExit, "\(at).onExit.events", limits)
            if state.transitions.count > limits.maxEventsPerList {
                throw .invalidRequest("\(at).onInput.transitionEvents: \(state.transitions.count) transition events; at most \(limits.maxEventsPerList) are allowed (limit maxEventsPerList)")
            }
            for (j, transition) in state.transitions.enumerated() {
                let tat = "\(at).onInput.transitionEvents[\(j)]"
                if !names.contains(transition.nextState) {
                    throw .invalidRequest("\(tat).nextState: \(transition.nextState) is not a state of this model")
                }
                try DetectorModelDefinition.check(transition.actions, "\(tat).actions", limits)
            }
        }
    }

    private static func check(_ events: [EventDefinition], _ path: String, _ limits: Limits) throws(ServiceError) {
        if events.count > limits.maxEventsPerList {
            throw .invalidRequest("\(path): \(events.count) events; at most \(limits.maxEventsPerList) are allowed (limit maxEventsPerList)")
        }
        for (i, event) in events.enumerated() {
            try check(event.actions, "\(path)[\(i)].actions", limits)
        }
    }

    private static func check(_ actions: [ActionDefinition], _ path: String, _ limits: Limits) throws(ServiceError) {
        if actions.count > limits.maxActionsPerEvent {
            throw .invalidRequest("\(path): \(actions.count) actions; at most \(limits.maxActionsPerEvent) are allowed (limit maxActionsPerEvent)")
        }
        for (i, action) in actions.enumerated() {
            if case .setTimer(_, let seconds, let expression) = action, (seconds == nil) == (expression == nil) {
                throw .invalidRequest("\(path)[\(i)].setTimer: set exactly one of seconds and durationExpression")
            }
        }
    }
}
