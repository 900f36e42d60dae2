/// structure: the state machine itself. What CreateDetectorModel's structural check refuses
/// (duplicate or undefined state names, transitions to states that do not exist, `setTimer`
/// without exactly one duration), blank transition conditions and a model no condition of which
/// reads an input (all ERROR), and states no transition reaches (WARNING: allowed, never run).
extension ModelAnalyzer {
    mutating func checkStructure() {
        // What CreateDetectorModel refuses, as it words it (DetectorModelDefinition+Validation).
        for problem in structureProblems where problem.kind == .structure {
            add(.structure, .error, ModelAnalyzer.sentence(problem.message), [problem.path])
        }
        for (i, state) in definition.states.enumerated() {
            for (j, t) in state.transitions.enumerated() where ModelAnalyzer.isBlank(t.condition) {
                add(.structure, .error, "The transition \(t.eventName) has no condition: a transition needs one to fire",
                    ["states[\(i)].onInput.transitionEvents[\(j)].condition"])
            }
        }
        checkConditionsReadInputs()
        if stateIndex[definition.initialStateName] != nil {
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

    /// An error message of the API (which follows the member's path there) as a sentence of its own.
    static func sentence(_ message: String) -> String {
        var bytes = Array(message.utf8)
        guard let first = bytes.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return message }
        bytes[0] = first - 0x20
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Empty or only spaces: the shape allows it, but there is no condition to evaluate.
    static func isBlank(_ text: String) -> Bool {
        for byte in text.utf8 where byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\n") && byte != UInt8(ascii: "\r") {
            return false
        }
        return true
    }
}
