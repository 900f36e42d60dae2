// libFuzzer target for the expression language (make fuzz-expressions): any bytes must either be
// rejected with an ExpressionError or parse to a tree that prints, parses back to the same tree,
// compiles and evaluates, without trapping.
import IoTEventsCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpression(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let syntax: ExpressionSyntax
    do throws(ExpressionError) {
        syntax = try ExpressionParser.parse(text, maxDepth: 64)
    } catch {
        if error.column < 1 || error.column > text.unicodeScalars.count + 1 { fatalError("column out of range: \(error.description)") }
        return 0
    }
    let printed = syntax.text
    do throws(ExpressionError) {
        let again = try ExpressionParser.parse(printed, maxDepth: 64, checkTypes: false)
        if again != syntax { fatalError("print/parse changed \(text) into \(printed)") }
    } catch {
        fatalError("printed form does not parse: \(printed): \(error.description)")
    }
    var symbols = ExpressionSymbols()
    let compiled = ExpressionCompiler.compile(syntax, symbols: &symbols)
    _ = compiled.evaluate()
    return 0
}
