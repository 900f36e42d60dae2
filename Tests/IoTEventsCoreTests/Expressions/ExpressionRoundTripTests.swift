import Testing
@testable import IoTEventsCore

/// Random trees: print → parse must give the same tree, and printing that gives the same text.
@Suite struct ExpressionRoundTripTests {
    typealias SplitMix = SplitMix64  // CollectionsTests.swift

    static let words = ["a", "Temp", "x_1", "motor pressure", "_value", "fw-version", "é", "3d", "日本"]
    static let texts = ["", "plain", "it's", "say \"hi\"", "back\\slash", "$", "{", "}", "${", "tab\there", "ünï 😀", "'", "\\'"]
    static let operators: [BinaryOperator] = [
        .or, .and, .bitOr, .bitXor, .bitAnd, .equal, .notEqual, .less, .lessOrEqual, .greater,
        .greaterOrEqual, .add, .subtract, .multiply, .divide,
    ]

    static func path(_ r: inout SplitMix) -> [PathStep] {
        var steps: [PathStep] = [.member(words[r.below(words.count)])]
        for _ in 0 ..< r.below(3) {
            steps.append(r.below(2) == 0 ? .index(r.below(20)) : .member(words[r.below(words.count)]))
        }
        return steps
    }

    static func tree(_ r: inout SplitMix, depth: Int) -> ExpressionSyntax {
        let leaf = depth <= 0 || r.below(3) == 0
        if leaf {
            switch r.below(8) {
            case 0: return .integer(Int64(r.below(1_000_000)))
            case 1: return .integer(Int64.max)
            case 2:
                let candidates = [0.5, 20.0, 50.018, 1e10, 1.5e-5, 0.001, 1234567.0, 1e7, 9.223372036854776e18, 0.1 + 0.2]
                return .decimal(candidates[r.below(candidates.count)])
            case 3: return .boolean(r.below(2) == 0)
            case 4: return .string(texts[r.below(texts.count)])
            case 5:
                let name = words[r.below(3)]
                return .inputAttribute(input: name == "x_1" ? "In_2" : "Pump", path: path(&r))
            case 6: return .variable(["count", "t0", "isOn"][r.below(3)])
            default: return .sitewise(path(&r))
            }
        }
        switch r.below(6) {
        case 0:
            let ops: [UnaryOperator] = [.negate, .not, .bitNot]
            return .unary(ops[r.below(3)], tree(&r, depth: depth - 1))
        case 1:
            var parts: [TemplatePart] = []
            var lastWasText = false
            for i in 0 ..< 1 + r.below(3) {
                if !lastWasText && r.below(2) == 0 {
                    let t = texts[1 + r.below(texts.count - 1)]
                    // A text part never ends in "$" before an expression part, and never holds "${".
                    if !t.contains("${") && !t.hasSuffix("$") {
                        parts.append(.text(t))
                        lastWasText = true
                        continue
                    }
                }
                _ = i
                parts.append(.expression(tree(&r, depth: depth - 1)))
                lastWasText = false
            }
            if !parts.contains(where: { if case .expression = $0 { return true } else { return false } }) {
                parts.append(.expression(tree(&r, depth: depth - 1)))
            }
            return .template(parts)
        case 2:
            let f = ExpressionFunction.allCases[r.below(ExpressionFunction.allCases.count)]
            var arguments: [ExpressionSyntax] = []
            for i in 0 ..< f.arity {
                if f == .convert && i == 0 && r.below(2) == 0 {
                    let targets: [ConvertTarget] = [.string, .boolean, .decimal]
                    arguments.append(.typeWord(targets[r.below(3)]))
                } else {
                    arguments.append(tree(&r, depth: depth - 1))
                }
            }
            return .call(f, arguments)
        default:
            let op = operators[r.below(operators.count)]
            var links: [ChainLink] = []
            let sameLevel = operators.filter { $0.precedence == op.precedence }
            for _ in 0 ..< 1 + r.below(3) {
                links.append(ChainLink(sameLevel[r.below(sameLevel.count)], tree(&r, depth: depth - 1)))
            }
            return .chain(tree(&r, depth: depth - 1), links)
        }
    }

    @Test func printThenParseGivesTheSameTree() {
        var r = SplitMix(state: 20261202)
        var failures = 0
        for _ in 0 ..< 3000 {
            let original = Self.tree(&r, depth: 5)
            let text = original.text
            do throws(ExpressionError) {
                let parsed = try ExpressionParser.parse(text, maxDepth: 64, checkTypes: false)
                if parsed != original || parsed.text != text {
                    failures += 1
                    if failures <= 5 { Issue.record("round trip changed \(text) into \(parsed.text)") }
                }
            } catch {
                failures += 1
                if failures <= 5 { Issue.record("printed text does not parse: \(text): \(error.description)") }
            }
        }
        #expect(failures == 0)
    }
}
