/// What decides whether an external action runs, once its expressions are evaluated: the same for
/// every host (ActionHost.runExternal), and not generic, so that detectors and alarms share one
/// copy instead of one each.
enum ActionChecks {
    /// Why a parameter's value at `path` (`propertyValue.value.doubleValue`) cannot be sent, if
    /// it cannot: it gave no value, or too long a string.
    static func parameterFailure(_ value: ExpressionValue, _ path: String, limits: Limits) -> String? {
        switch value {
        case .undefined, .null:
            return "\(path) gave \(value.kindName)"
        case .string(let text) where !limits.admitsValue(text):
            return "\(path) is longer than \(limits.maxValueChars) characters (limit maxValueChars)"
        default:
            return nil
        }
    }

    /// The payload a content expression gave: a String of at most maxPayloadBytes (§4.6), or ""
    /// and why the action does not run.
    static func payload(_ value: ExpressionValue, limits: Limits) -> (text: String, failure: String?) {
        switch value {
        case .string(let text) where text.utf8.count <= limits.maxPayloadBytes:
            return (text, nil)
        case .string(let text):
            return ("", "payload.contentExpression is \(text.utf8.count) bytes (limit maxPayloadBytes = \(limits.maxPayloadBytes))")
        case let other:
            return ("", "payload.contentExpression gave \(other.kindName), not a String")
        }
    }

    /// Why an `iotEvents` action of an evaluation at loop-back `depth`, in a call that has run
    /// `evaluations` evaluations, is not delivered, if it is not (§4.7).
    static func loopbackRefusal(depth: Int, evaluations: Int, limits: Limits) -> String? {
        if depth + 1 > limits.maxLoopbackDepth {
            return "not delivered: the message would be looped back \(depth + 1) times (limit maxLoopbackDepth = \(limits.maxLoopbackDepth))"
        }
        if evaluations >= limits.maxEvaluationsPerCall {
            // Not even queued: past the budget the queue must not keep growing.
            return Limits.evaluationBudgetError(evaluations, limits)
        }
        return nil
    }

    /// The input an `iotEvents` action sends to: its `inputName` parameter ("" without one).
    static func inputName(_ parameters: [EvaluatedParameter]) -> String {
        var inputName = ""
        for p in parameters where p.name == "inputName" {
            if case .literal(.text(let name)) = p.value { inputName = name }
        }
        return inputName
    }
}
