/// service-limits: the structural quotas of docs/behaviour.md §7 that CreateDetectorModel
/// enforces (ERROR when exceeded) and a WARNING when a count is within 10% of its limit, so that
/// a model that is about to outgrow a quota is noticed before an update fails.
extension ModelAnalyzer {
    mutating func checkServiceLimits() {
        // The structural quotas exceeded, as CreateDetectorModel words them; close ones warned here.
        for problem in structureProblems where problem.kind == .limit {
            add(.serviceLimits, .error, problem.message, [problem.path])
        }
        warnNear(definition.states.count, "states", limit: limits.maxStatesPerModel, name: "maxStatesPerModel", at: ["states"])
        for list in sites.lists {
            if list.isActions {
                warnNear(list.count, "actions", limit: limits.maxActionsPerEvent, name: "maxActionsPerEvent", at: [list.path])
            } else {
                warnNear(list.count, "events", limit: limits.maxEventsPerList, name: "maxEventsPerList", at: [list.path])
            }
        }
        var variables = NameSet()
        var firstSets: [String] = []
        for site in sites.actions {
            if case .setVariable(let name, _) = site.action, variables.insert(name) {
                firstSets.append(site.path)
            }
        }
        count(variables.count, "variables", limit: limits.maxVariablesPerModel, name: "maxVariablesPerModel", at: firstSets)
        for site in sites.expressions where site.role == .payload {
            let size = site.text.utf8.count
            if size > limits.maxContentExpressionBytes {
                add(.serviceLimits, .error,
                    "The content expression has \(size) bytes; at most \(limits.maxContentExpressionBytes) are allowed (limit maxContentExpressionBytes)",
                    [site.path])
            }
        }
        checkModelsPerInput()
        for site in sites.actions {
            if case .setTimer(let name, let seconds?, _) = site.action,
               seconds < Int64(limits.minTimerSeconds) || seconds > limits.maxTimerSeconds {
                // DetectorCycle does not arm such a timer: the action fails every time it runs.
                add(.serviceLimits, .error,
                    "Timer \(name) is set for \(seconds) seconds; timers run for \(limits.minTimerSeconds) to \(limits.maxTimerSeconds) seconds (limits minTimerSeconds, maxTimerSeconds)",
                    [site.path])
            }
        }
    }

    /// maxModelsPerInput: CreateDetectorModel refuses a model that would make an input feed
    /// more detector models than the limit. The model analysed would be one more.
    private mutating func checkModelsPerInput() {
        var firstUse = Findings()
        for (k, site) in sites.expressions.enumerated() {
            guard let tree = syntax[k] else { continue }
            let refs = ExpressionReferences(tree)
            for (input, _) in refs.inputAttributes where environment.inputs[input] != nil { firstUse.note(input, site.path) }
            for input in refs.currentInputs where environment.inputs[input] != nil { firstUse.note(input, site.path) }
        }
        for (input, paths) in firstUse.entries {
            let others = environment.modelsPerInput[input] ?? 0
            count(others + 1, "detector models reading the input \(input) (with this one)", limit: limits.maxModelsPerInput,
                  name: "maxModelsPerInput", at: [paths[0]])
        }
    }

    private mutating func count(_ n: Int, _ what: String, limit: Int, name: String, at paths: [String]) {
        if n > limit {
            add(.serviceLimits, .error, "\(n) \(what); at most \(limit) are allowed (limit \(name))", paths)
        } else {
            warnNear(n, what, limit: limit, name: name, at: paths)
        }
    }

    /// A WARNING when `n` is within 10 % of the limit (and not over it).
    private mutating func warnNear(_ n: Int, _ what: String, limit: Int, name: String, at paths: [String]) {
        if n > 0, n <= limit, n.multipliedReportingOverflow(by: 10).partialValue >= limit.multipliedReportingOverflow(by: 9).partialValue {
            add(.serviceLimits, .warning, "\(n) \(what) of the \(limit) allowed (limit \(name)): close to the limit", paths)
        }
    }
}
