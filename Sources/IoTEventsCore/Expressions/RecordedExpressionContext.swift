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
    /// The trigger: a message (on the input with this id in the model's symbols, nil if the model
    /// never names it, and this name), a timer, or none.
    var trigger: RecordedTrigger = .none
    package var maxStringBytes: Int = Int.max

    enum RecordedTrigger {
        case none
        case message(input: Int?, inputName: String)
        case timer
    }

    package init() {}

    init(variables: [ExpressionValue], attributes: [ExpressionValue], pending: [Bool], timerNames: [String],
         trigger: RecordedTrigger, maxStringBytes: Int) {
        self.variables = variables
        self.attributes = attributes
        self.pending = pending
        self.timerNames = timerNames
        self.trigger = trigger
        self.maxStringBytes = maxStringBytes
    }

    package func variable(at slot: Int) -> ExpressionValue { slot < variables.count ? variables[slot] : .undefined }
    package func inputAttribute(at slot: Int) -> ExpressionValue { slot < attributes.count ? attributes[slot] : .undefined }

    package var isMessageTrigger: Bool {
        if case .message = trigger { return true }
        return false
    }

    package var isTimerTrigger: Bool {
        if case .timer = trigger { return true }
        return false
    }

    package func isCurrentInput(_ input: Int) -> Bool {
        if case .message(let id, _) = trigger { return id == input }
        return false
    }

    package func isCurrentInput(named name: String) -> Bool {
        if case .message(_, let inputName) = trigger { return inputName == name }
        return false
    }

    package func consumeTimeout(_ timer: Int) -> Bool { timer < pending.count && pending[timer] }

    package func consumeTimeout(named name: String) -> Bool {
        for (id, timerName) in timerNames.enumerated() where timerName == name { return consumeTimeout(id) }
        return false
    }
}
