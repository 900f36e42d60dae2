import Testing
@testable import IoTEventsCore

@Suite struct ExprValueTests {
    @Test func integerDivisionTruncates() {
        #expect(ExpressionValue.divide(.integer(7), .integer(2)) == .integer(3))
        #expect(ExpressionValue.divide(.integer(-7), .integer(2)) == .integer(-3))
        #expect(ExpressionValue.divide(.integer(7), .decimal(2.0)) == .decimal(3.5))
        #expect(ExpressionValue.divide(.integer(7), .integer(0)) == .undefined)
        #expect(ExpressionValue.divide(.integer(Int64.min), .integer(-1)) == .undefined)
    }
    @Test func overflowIsUndefined() {
        #expect(ExpressionValue.add(.integer(Int64.max), .integer(1)) == .undefined)
        #expect(ExpressionValue.negate(.integer(Int64.min)) == .undefined)
        #expect(ExpressionValue.add(.string("a"), .string("ab")) == .string("aab"))
        #expect(ExpressionValue.add(.string("n="), .integer(7)) == .undefined)
        #expect(ExpressionValue.add(.integer(7), .decimal(0.5)) == .decimal(7.5))
    }
}
