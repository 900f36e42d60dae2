import CAllocationCounter
import Testing
@testable import IoTEventsCore

/// Numeric and Boolean conditions must evaluate without touching the heap (issue 3).
@Suite struct ExpressionAllocationTests {
    struct Context: ExpressionContext {
        var variables: [ExpressionValue]
        var attributes: [ExpressionValue]
        var expired = false
        func variable(at slot: Int) -> ExpressionValue { variables[slot] }
        func inputAttribute(at slot: Int) -> ExpressionValue { attributes[slot] }
        var isMessageTrigger: Bool { true }
        var isTimerTrigger: Bool { false }
        func isCurrentInput(_ input: Int) -> Bool { input == 0 }
        func isCurrentInput(named name: String) -> Bool { name == "Temp" }
        mutating func consumeTimeout(_ timer: Int) -> Bool { defer { expired = false }; return expired }
        mutating func consumeTimeout(named name: String) -> Bool { false }
    }

    static let conditions = [
        "$input.Temp.celsius > 30",
        "$input.Temp.celsius > 30 && $variable.count < 10",
        "$variable.count + 1 >= 2.5 * $input.Temp.celsius / 3 - 1",
        "!(timeout(\"cool\") || currentInput(\"Temp\")) || triggerType(\"Message\")",
        "$input.Temp.unit == 'C' && startsWith($input.Temp.unit, \"C\") && contains($input.Temp.site, 'north')",
        "(bitand($variable.count, 3) | 2 ^ ~0) != 0",
        "isUndefined($variable.missing) && !isNull($input.Temp.celsius) && $variable.count != $variable.count",
        "convert(Decimal, $variable.count) > 1.5",
    ]

    @Test(arguments: conditions) func conditionDoesNotAllocate(_ text: String) throws {
        var symbols = ExpressionSymbols()
        let compiled = try ExpressionCompiler.compile(text, symbols: &symbols)
        var values: [ExpressionValue] = []
        for reference in symbols.inputAttributes {
            switch reference.path.first {
            case .member("unit"): values.append(.string("C"))
            case .member("site"): values.append(.string("north-east building, long enough to be on the heap"))
            default: values.append(.decimal(31.5))
            }
        }
        var context = Context(variables: symbols.variableNames.map { $0 == "count" ? .integer(3) : .undefined }, attributes: values)
        _ = compiled.evaluate(&context)
        ie_test_allocations_start()
        var fired = 0
        for _ in 0 ..< 1000 where compiled.evaluate(&context).isTrue { fired += 1 }
        let allocations = ie_test_allocations_stop()
        #expect(allocations == 0, "\(text) allocated \(allocations) times in 1000 evaluations")
        _ = fired
    }

    /// The counter itself works: building a String does allocate.
    @Test func templatesDoAllocate() throws {
        var symbols = ExpressionSymbols()
        let compiled = try ExpressionCompiler.compile("'{\"count\": ${$variable.count}, \"site\": \"north-east building\"}'", symbols: &symbols)
        var context = Context(variables: [.integer(3)], attributes: [])
        ie_test_allocations_start()
        let value = compiled.evaluate(&context)
        let allocations = ie_test_allocations_stop()
        #expect(value == .string("{\"count\": 3, \"site\": \"north-east building\"}"))
        #expect(allocations > 0)
    }
}
