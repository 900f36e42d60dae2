// Expression evaluation cost (issue 3): nanoseconds per evaluation of typical conditions, each
// beside a hand-written Swift baseline doing the same work on the same values.
//   expression-bench                 table of ns/eval (wall clock, best of 5 rounds)
//   expression-bench CASE N          evaluate case CASE N times (for callgrind instruction counts)
//   expression-bench baseline CASE N the baseline of CASE N times
import Glibc
import IoTEventsCore

struct Context: ExpressionContext {
    var variables: [ExpressionValue]
    var attributes: [ExpressionValue]
    func variable(at slot: Int) -> ExpressionValue { variables[slot] }
    func inputAttribute(at slot: Int) -> ExpressionValue { attributes[slot] }
    var isMessageTrigger: Bool { true }
    var isTimerTrigger: Bool { false }
    func isCurrentInput(_ input: Int) -> Bool { input == 0 }
    func isCurrentInput(named name: String) -> Bool { name == "Temp" }
    mutating func consumeTimeout(_ timer: Int) -> Bool { false }
    mutating func consumeTimeout(named name: String) -> Bool { false }
}

struct Case {
    let name: String
    let text: String
    /// The same computation written by hand over the context's arrays.
    let baseline: (inout Context) -> ExpressionValue
}

func number(_ v: ExpressionValue) -> Double? {
    switch v {
    case .integer(let i): return Double(i)
    case .decimal(let d): return d
    default: return nil
    }
}

// Slots are assigned in order of first reference.
// Slots are assigned in order of first reference: celsius 0, id 1; count 0, limit 1.
let cases: [Case] = [
    Case(name: "threshold compare", text: "$input.Temp.celsius > 30") { c in
        guard let x = number(c.inputAttribute(at: 0)) else { return .boolean(false) }
        return .boolean(x > 30)
    },
    Case(name: "&& of two compares", text: "$input.Temp.celsius > 30 && $variable.count < 10") { c in
        guard let x = number(c.inputAttribute(at: 0)), let n = number(c.variable(at: 0)) else { return .undefined }
        return .boolean(x > 30 && n < 10)
    },
    Case(name: "arithmetic then compare", text: "$input.Temp.celsius * 9 / 5 + 32 >= $variable.count * 10") { c in
        guard let x = number(c.inputAttribute(at: 0)), let n = number(c.variable(at: 0)) else { return .undefined }
        return .boolean(x * 9 / 5 + 32 >= n * 10)
    },
    Case(name: "template: JSON payload", text: #"'{"id": "${$input.Temp.id}", "celsius": ${$input.Temp.celsius}, "high": ${$input.Temp.celsius > 30}}'"#) { c in
        guard case .string(let id) = c.inputAttribute(at: 0), case .decimal(let x) = c.inputAttribute(at: 1) else { return .undefined }
        return .string("{\"id\": \"" + id + "\", \"celsius\": " + DecimalText.java(x) + ", \"high\": " + (x > 30 ? "true" : "false") + "}")
    },
]

func setUp(_ c: Case) -> (CompiledExpression, Context) {
    var symbols = ExpressionSymbols()
    let compiled: CompiledExpression
    do throws(ExpressionError) {
        compiled = try ExpressionCompiler.compile(c.text, symbols: &symbols)
    } catch {
        print("\(c.text): \(error.description)")
        exit(1)
    }
    let attributes = symbols.inputAttributes.map { r -> ExpressionValue in
        r.path == [.member("id")] ? .string("sensor-0042") : .decimal(31.5)
    }
    return (compiled, Context(variables: symbols.variableNames.map { _ in .integer(3) }, attributes: attributes))
}

/// Keeps results alive; counts Undefined ones (which would mean the case is set up wrongly).
@inline(never) func consume(_ v: ExpressionValue) -> Int { v.isUndefined ? 1 : 0 }

func nanos() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

var undefinedResults = 0
let args = CommandLine.arguments
if args.count == 3, let index = Int(args[1]), let n = Int(args[2]) {
    var (compiled, context) = setUp(cases[index])
    for _ in 0 ..< n { undefinedResults += consume(compiled.evaluate(&context)) }
    exit(undefinedResults == 0 ? 0 : 1)
}
if args.count == 4, args[1] == "baseline", let index = Int(args[2]), let n = Int(args[3]) {
    var (_, context) = setUp(cases[index])
    for _ in 0 ..< n { undefinedResults += consume(cases[index].baseline(&context)) }
    exit(undefinedResults == 0 ? 0 : 1)
}

let n = 1_000_000
print("| expression | ns/eval | baseline ns/eval | ratio |")
print("|---|---:|---:|---:|")
for c in cases {
    var (compiled, context) = setUp(c)
    var best = UInt64.max
    var bestBaseline = UInt64.max
    for _ in 0 ..< 5 {
        var start = nanos()
        for _ in 0 ..< n { undefinedResults += consume(compiled.evaluate(&context)) }
        best = min(best, nanos() - start)
        start = nanos()
        for _ in 0 ..< n { undefinedResults += consume(c.baseline(&context)) }
        bestBaseline = min(bestBaseline, nanos() - start)
    }
    let e = Double(best) / Double(n)
    let b = Double(bestBaseline) / Double(n)
    let ratio = Int((e / b * 100).rounded())
    print("| \(c.name) | \(Int((e * 10).rounded()) / 10).\(Int((e * 10).rounded()) % 10) | \(Int((b * 10).rounded()) / 10).\(Int((b * 10).rounded()) % 10) | \(ratio / 100).\(ratio % 100 < 10 ? "0" : "")\(ratio % 100) |")
}
if undefinedResults > 0 { print("warning: \(undefinedResults) evaluations were Undefined") }
