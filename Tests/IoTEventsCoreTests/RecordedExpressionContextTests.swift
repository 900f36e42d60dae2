import Testing
@testable import IoTEventsCore

/// The context explanations and constant folding evaluate against: what it answers for each
/// trigger, and that `timeout()` reads the recorded marks without consuming them.
@Suite struct RecordedExpressionContextTests {
    @Test func nothingRecordedAnswersNothing() {
        var c = RecordedExpressionContext()
        #expect(c.variable(at: 0) == .undefined && c.inputAttribute(at: 3) == .undefined)
        #expect(!c.isMessageTrigger && !c.isTimerTrigger)
        #expect(!c.isCurrentInput(0) && !c.isCurrentInput(named: "T"))
        #expect(!c.consumeTimeout(0) && !c.consumeTimeout(named: "t"))
        #expect(c.maxStringBytes == Int.max)
    }

    @Test func aMessageTriggerNamesItsInput() {
        let c = RecordedExpressionContext(trigger: .message(input: 1, inputName: "T", messageId: "m"))
        #expect(c.isMessageTrigger && !c.isTimerTrigger)
        #expect(c.isCurrentInput(1) && !c.isCurrentInput(0))
        #expect(c.isCurrentInput(named: "T") && !c.isCurrentInput(named: "U"))
    }

    @Test func aTimerTriggerIsNoMessage() {
        let c = RecordedExpressionContext(trigger: .timer(id: 0, name: "t"))
        #expect(c.isTimerTrigger && !c.isMessageTrigger)
        #expect(!c.isCurrentInput(0) && !c.isCurrentInput(named: "t"))
    }

    @Test func recordedValuesAndMarksAreReadNotConsumed() {
        var c = RecordedExpressionContext(variables: [.integer(7)], attributes: [.string("x")], pending: [false, true],
                                          timerNames: ["a", "b"])
        #expect(c.variable(at: 0) == .integer(7) && c.variable(at: 1) == .undefined)
        #expect(c.inputAttribute(at: 0) == .string("x"))
        #expect(!c.consumeTimeout(named: "a") && !c.consumeTimeout(2))
        #expect(c.consumeTimeout(named: "b") && c.consumeTimeout(named: "b") && c.consumeTimeout(1))
    }
}
