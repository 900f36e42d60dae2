import Testing
@testable import IoTEventsCore

@Suite struct ExprValueTests {
    @Test func integerDivisionTruncates() {
        #expect(ExpressionOperators.divide(.integer(7), .integer(2)) == .integer(3))
        #expect(ExpressionOperators.divide(.integer(-7), .integer(2)) == .integer(-3))
        #expect(ExpressionOperators.divide(.integer(7), .decimal(2.0)) == .decimal(3.5))
        #expect(ExpressionOperators.divide(.integer(7), .integer(0)) == .undefined)
        #expect(ExpressionOperators.divide(.integer(Int64.min), .integer(-1)) == .undefined)
    }
    @Test func overflowIsUndefined() {
        #expect(ExpressionOperators.add(.integer(Int64.max), .integer(1)) == .undefined)
        #expect(ExpressionOperators.negate(.integer(Int64.min)) == .undefined)
        #expect(ExpressionOperators.add(.string("a"), .string("ab")) == .string("aab"))
        #expect(ExpressionOperators.add(.string("n="), .integer(7)) == .undefined)
        #expect(ExpressionOperators.add(.integer(7), .decimal(0.5)) == .decimal(7.5))
    }
}
