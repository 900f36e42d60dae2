/// Why an expression was rejected: a syntax error, an unknown function, a wrong argument count or
/// an operator applied to operands whose types are already known to be incompatible (§3.9).
package struct ExpressionError: Error, Equatable, Sendable {
    /// 1-based, counted in Unicode scalars; the expression's length + 1 for "at the end".
    package var column: Int
    package var message: String

    package init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    /// "column 7: expected ')'".
    package var description: String { "column \(column): \(message)" }
}

/// What is known at compile time about the type of a sub-expression, when its value is defined.
enum StaticType: Equatable {
    case integer, decimal, number, string, boolean, unknown

    var isNumeric: Bool { self == .integer || self == .decimal || self == .number }

    var name: String {
        switch self {
        case .integer: return "Integer"
        case .decimal: return "Decimal"
        case .number: return "number"
        case .string: return "String"
        case .boolean: return "Boolean"
        case .unknown: return "unknown"
        }
    }

    /// The category used for "are these comparable": numbers, strings, Booleans; nil if unknown.
    var category: Int? {
        switch self {
        case .integer, .decimal, .number: return 0
        case .string: return 1
        case .boolean: return 2
        case .unknown: return nil
        }
    }
}
