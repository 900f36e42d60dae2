/// The text of a variable value in `BatchUpdateDetector` (§6.2): the literal form
/// `DescribeDetector` prints (§6.4) — `22`, `-1.5`, `true`, `"A51"` (a double-quoted String;
/// single quotes are accepted too, as the expression language allows both).
package enum VariableLiteral {
    package static func parse(_ text: String) -> ExpressionValue? {
        guard let syntax = try? ExpressionParser.parse(text, maxDepth: 4, checkTypes: false) else { return nil }
        switch syntax {
        case .integer(let n): return .integer(n)
        case .decimal(let d): return .decimal(d)
        case .boolean(let b): return .boolean(b)
        case .string(let s): return .string(s)
        case .unary(.negate, .integer(let n)): return .integer(-n)
        case .unary(.negate, .decimal(let d)): return .decimal(-d)
        default: return nil
        }
    }
}
