/// An evaluation against recorded values instead of a live detector. Two uses, one type, because
/// Embedded Swift compiles the whole evaluator once per context type (2.4 KB of the small library
/// each):
/// - nothing at all (`init()`): every reference is Undefined, no trigger, no timers. Constant
///   sub-expressions are folded with it at compile time;
/// - a detector's values as they were before a condition ran, to explain its result: `timeout()`
///   answers from the marks as they were, consuming nothing.
package struct RecordedExpressionContext: ExpressionContext {
    var variables: [ExpressionValue] = []
    var attributes: [ExpressionValue] = []
    /// By timer id: whether its expiry is still unconsumed.
    var pending: [Bool] = []
    var timerNames: [String] = []
    /// What caused the evaluation; nil for none.
    var trigger: Trigger?
    package var maxStringBytes: Int = Int.max

    package func variable(at slot: Int) -> ExpressionValue { slot < variables.count ? variables[slot] : .undefined }
    package func inputAttribute(at slot: Int) -> ExpressionValue { slot < attributes.count ? attributes[slot] : .undefined }

    package var isMessageTrigger: Bool { trigger?.isMessage ?? false }

    package var isTimerTrigger: Bool { trigger.map { !$0.isMessage } ?? false }

    package func isCurrentInput(_ input: Int) -> Bool { trigger?.isMessage(onInput: input) ?? false }

    package func isCurrentInput(named name: String) -> Bool { trigger?.isMessage(onInputNamed: name) ?? false }

    package func consumeTimeout(_ timer: Int) -> Bool { timer < pending.count && pending[timer] }

    package func consumeTimeout(named name: String) -> Bool {
        for (id, timerName) in timerNames.enumerated() where timerName == name { return consumeTimeout(id) }
        return false
    }
}
