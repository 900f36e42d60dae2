import CJanssonShim
import Foundation
import Testing
@testable import IoTEventsAPI
import IoTEventsCore

/// Runs Tests/expressions/conformance.tsv: one expression per line with its expected result and
/// the context it runs in. The format is described at the top of that file.
@Suite struct ExpressionConformanceTests {
    static let tablePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("expressions/conformance.tsv").path

    @Test func conformanceTable() throws {
        // IOTEVENTS_CONFORMANCE_TABLE runs another table (e.g. part of this one, to bisect).
        let path = ProcessInfo.processInfo.environment["IOTEVENTS_CONFORMANCE_TABLE"] ?? Self.tablePath
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var cases = 0
        var failures: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: true).map(String.init)
            guard columns.count >= 2 else {
                failures.append("line \(number + 1): needs an expression and an expected result")
                continue
            }
            cases += 1
            if let problem = ConformanceCase.run(expression: columns[0], expected: columns[1], bindings: Array(columns[2...])) {
                failures.append("line \(number + 1): \(columns[0])  —  \(problem)")
            }
        }
        for failure in failures { Issue.record(Comment(rawValue: failure)) }
        if path != Self.tablePath { return }
        #expect(cases >= 300, "the table must keep at least 300 cases; it has \(cases)")
    }
}

/// The context a table case describes.
struct ConformanceContext: ExpressionContext {
    var variables: [ExpressionValue]
    var attributes: [ExpressionValue]
    var inputNames: [String]
    var timerNames: [String]
    var triggerInput: String?
    var isTimerTrigger: Bool
    var expired: Set<String>

    var isMessageTrigger: Bool { !isTimerTrigger }
    func variable(at slot: Int) -> ExpressionValue { variables[slot] }
    func inputAttribute(at slot: Int) -> ExpressionValue { attributes[slot] }
    func isCurrentInput(_ input: Int) -> Bool { isCurrentInput(named: inputNames[input]) }
    func isCurrentInput(named name: String) -> Bool { !isTimerTrigger && triggerInput == name }
    mutating func consumeTimeout(_ timer: Int) -> Bool { consumeTimeout(named: timerNames[timer]) }
    mutating func consumeTimeout(named name: String) -> Bool { expired.remove(name) != nil }
}

enum ConformanceCase {
    /// nil when the case passes, else what went wrong.
    static func run(expression: String, expected: String, bindings: [String]) -> String? {
        var symbols = ExpressionSymbols()
        let compiled: CompiledExpression
        do throws(ExpressionError) {
            compiled = try ExpressionCompiler.compile(expression, symbols: &symbols)
        } catch {
            if expected.hasPrefix("error ") {
                let column = Int(expected.dropFirst(6).split(separator: " ")[0]) ?? -1
                return column == error.column ? nil : "expected an error at column \(column), got \(error.description)"
            }
            return "expected \(expected), got compile error \(error.description)"
        }
        if expected.hasPrefix("error ") {
            return "expected \(expected), but it compiled (printed: \(compiled.syntax.text))"
        }

        var variables = [ExpressionValue](repeating: .undefined, count: symbols.variableNames.count)
        var payloads: [String: String] = [:]
        var declared: [String: [AttributePath]] = [:]
        var inputOrder: [String] = []
        var trigger: String? = nil
        var timerTrigger = false
        var expired = Set<String>()
        var evaluations = 1
        for binding in bindings {
            let words = binding.split(separator: " ", maxSplits: 1).map(String.init)
            guard words.count == 2 else { return "bad binding '\(binding)'" }
            let (kind, rest) = (words[0], words[1])
            switch kind {
            case "var":
                guard let eq = rest.firstIndex(of: "=") else { return "bad binding '\(binding)'" }
                let name = String(rest[..<eq])
                var scratch = ExpressionSymbols()
                guard let literal = try? ExpressionCompiler.compile(String(rest[rest.index(after: eq)...]), symbols: &scratch),
                      let value = literal.constantValue else { return "bad variable literal in '\(binding)'" }
                if let slot = symbols.variableSlot(name) { variables[slot] = value }
            case "input":
                guard let eq = rest.firstIndex(of: "=") else { return "bad binding '\(binding)'" }
                let name = String(rest[..<eq])
                payloads[name] = String(rest[rest.index(after: eq)...])
                inputOrder.append(name)
            case "attrs":
                guard let eq = rest.firstIndex(of: "=") else { return "bad binding '\(binding)'" }
                declared[String(rest[..<eq])] = rest[rest.index(after: eq)...].split(separator: ",").map { AttributePath(String($0)) }
            case "trigger":
                let parts = rest.split(separator: " ").map(String.init)
                guard parts.count == 2 else { return "bad binding '\(binding)'" }
                if parts[0] == "message" { trigger = parts[1] } else { timerTrigger = true }
            case "expired": expired.insert(rest)
            case "timer": break // running, not expired: timeout() is false
            case "evaluations": evaluations = Int(rest) ?? 1
            default: return "unknown binding '\(binding)'"
            }
        }
        if trigger == nil && !timerTrigger { trigger = inputOrder.first ?? "Other" }

        var attributes = [ExpressionValue](repeating: .undefined, count: symbols.inputAttributes.count)
        var documents: [String: UnsafeMutablePointer<json_t>] = [:]
        defer { for (_, d) in documents { ie_json_decref(d) } }
        for (name, text) in payloads {
            var error = json_error_t()
            let bytes = Array(text.utf8)
            guard let doc = bytes.withUnsafeBufferPointer({ JSONDocument.load($0.baseAddress!, count: $0.count, &error) }) else {
                return "payload of \(name) is not JSON"
            }
            documents[name] = doc
            if declared[name] == nil {
                var keys: [AttributePath] = []
                JSONValue(doc).forEachMember { key, _ in keys.append(AttributePath("`" + String(cString: key) + "`")) }
                declared[name] = keys
            }
        }
        for (slot, reference) in symbols.inputAttributes.enumerated() {
            guard let doc = documents[reference.inputName], reference.isDeclared(by: declared[reference.inputName] ?? []) else { continue }
            attributes[slot] = InputAttributeReader.value(in: JSONValue(doc), at: reference.path)
        }

        var context = ConformanceContext(
            variables: variables, attributes: attributes, inputNames: symbols.inputNames,
            timerNames: symbols.timerNames, triggerInput: trigger, isTimerTrigger: timerTrigger, expired: expired)
        var result = ExpressionValue.undefined
        for _ in 0 ..< max(evaluations, 1) { result = compiled.evaluate(&context) }
        return check(result, expected)
    }

    static func check(_ value: ExpressionValue, _ expected: String) -> String? {
        let words = expected.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let argument = words.count > 1 ? words[1] : ""
        let ok: Bool
        switch words[0] {
        case "integer": ok = value == .integer(Int64(argument) ?? Int64.min)
        case "decimal":
            if case .decimal(let d) = value, let e = Double(argument) { ok = d.bitPattern == e.bitPattern } else { ok = false }
        case "string": ok = value == .string(unescape(argument))
        case "empty-string": ok = value == .string("")
        case "boolean": ok = value == .boolean(argument == "true")
        case "null": ok = value == .null
        case "undefined": ok = value == .undefined
        case "rendered": ok = value.literalText == argument
        default: return "unknown expectation '\(expected)'"
        }
        return ok ? nil : "expected \(expected), got \(describe(value))"
    }

    static func unescape(_ s: String) -> String {
        var out = ""
        var escaping = false
        for c in s {
            if escaping {
                switch c {
                case "t": out.append("\t")
                case "n": out.append("\n")
                case "\\": out.append("\\")
                default: out.append("\\"); out.append(c)
                }
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.append(c)
            }
        }
        if escaping { out.append("\\") }
        return out
    }

    static func describe(_ v: ExpressionValue) -> String {
        switch v {
        case .integer(let i): return "integer \(i)"
        case .decimal(let d): return "decimal \(DecimalText.java(d))"
        case .string(let s): return "string \(s)"
        case .boolean(let b): return "boolean \(b)"
        case .null: return "null"
        case .undefined: return "undefined"
        }
    }
}
