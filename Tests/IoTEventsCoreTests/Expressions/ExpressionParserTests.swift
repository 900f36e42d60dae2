import Testing
@testable import IoTEventsCore

@Suite struct ExpressionParserTests {
    func error(_ text: String, maxDepth: Int = 64) -> ExpressionError? {
        do throws(ExpressionError) {
            _ = try ExpressionParser.parse(text, maxDepth: maxDepth)
            return nil
        } catch {
            return error
        }
    }

    @Test func nestingIsBoundedWithAClearError() {
        let deep = String(repeating: "(", count: 64) + "1" + String(repeating: ")", count: 64)
        #expect(error(deep) == nil)
        let tooDeep = "(" + deep + ")"
        #expect(error(tooDeep)?.column == 1 + 64)
        #expect(error(tooDeep)?.message == "expression nested more than 64 levels deep (limit maxExpressionDepth)")
        #expect(error(String(repeating: "-", count: 65) + "1")?.column == 65)
        #expect(error(String(repeating: "'${", count: 65) + "1" + String(repeating: "}'", count: 65)) != nil)
        #expect(error(String(repeating: "bitnot(", count: 65) + "1" + String(repeating: ")", count: 65)) != nil)
    }

    /// The largest depth the configuration accepts parses on a secondary thread of a debug build.
    @Test func theLargestConfigurableDepthDoesNotExhaustTheStack() {
        let limit = Int(Limits.entries.first { "\($0.key)" == "maxExpressionDepth" }!.maximum)
        let deep = String(repeating: "(1 + ", count: limit) + "1" + String(repeating: ")", count: limit)
        #expect(error(deep, maxDepth: limit) == nil)
        let unary = String(repeating: "!", count: limit) + "true"
        #expect(error(unary, maxDepth: limit) == nil)
        // A long flat chain is not nesting: it evaluates in a loop.
        var symbols = ExpressionSymbols()
        let chain = Array(repeating: "1", count: 500).joined(separator: " + ")
        #expect(try! ExpressionCompiler.compile(chain, symbols: &symbols).evaluate() == .integer(500))
    }

    @Test func columnsCountUnicodeScalars() {
        #expect(error("'日本' + ") == ExpressionError(column: 8, message: "expected an expression"))
        #expect(error("'😀' ? 1")?.column == 5)
    }

    @Test func messagesSayWhatWasExpected() {
        #expect(error("(1 + 2")?.message == "expected ')' to close the '(' at column 1, found end of expression")
        #expect(error("1 = 2")?.message == "unexpected '='; the equality operator is '=='")
        #expect(error("abs(1)")?.message == "unknown function 'abs'")
        #expect(error("timeout()")?.message == "timeout takes 1 argument, not 0")
        #expect(error("convert(Integer, 1)")?.message == "'Integer' is not a convert target; expected String, Boolean or Decimal")
        #expect(error("'a' + 1")?.message == "operator '+' cannot be applied to String and Integer")
        #expect(error("bitor(1, 'a')")?.message == "argument 2 of bitor must be an Integer, not String")
        #expect(error("temperature > 3")?.message == "unexpected word 'temperature': strings need quotes and references start with '$'")
        #expect(error("$input.Temp.`a")?.message == "unterminated '`' segment")
    }

    @Test func referencesParseIntoPaths() throws {
        let syntax = try ExpressionParser.parse("$input.Motor.`motor pressure`[2][0].x_1")
        #expect(syntax == .inputAttribute(input: "Motor", path: [.member("motor pressure"), .index(2), .index(0), .member("x_1")]))
        #expect(syntax.text == "$input.Motor.`motor pressure`[2][0].x_1")
        let sitewise = try ExpressionParser.parse("$sitewise.assetModel.`a1`.`p1`.propertyValue.value")
        #expect(sitewise.text == "$sitewise.assetModel.a1.p1.propertyValue.value")
    }
}
