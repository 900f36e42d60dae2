// The syntax tree of one expression, as the parser builds it and the printer writes it back
// (docs/behaviour.md §3.2–§3.3). Positions are not part of the tree: errors carry them instead.
package indirect enum ExpressionSyntax: Equatable, Sendable {
    /// A non-negative literal; `-5` is `.unary(.negate, .integer(5))`.
    case integer(Int64)
    case decimal(Double)
    case boolean(Bool)
    /// A string literal without any `${…}`; either quote style.
    case string(String)
    /// A single-quoted string with at least one `${…}`.
    case template([TemplatePart])
    /// `$input.<input>.<path>`.
    case inputAttribute(input: String, path: [PathStep])
    /// `$variable.<name>`.
    case variable(String)
    /// `$sitewise.<path>` (SiteWise-sourced alarm models, §3.2).
    case sitewise([PathStep])
    /// A bare word, allowed only as `convert`'s first argument: `String`, `Boolean` or `Decimal`.
    case typeWord(ConvertTarget)
    case call(ExpressionFunction, [ExpressionSyntax])
    case unary(UnaryOperator, ExpressionSyntax)
    /// `first op₁ x₁ op₂ x₂ …`, left-associative, every operator of the same precedence level.
    /// Chains keep evaluation iterative however long the expression.
    case chain(ExpressionSyntax, [ChainLink])
}

package enum TemplatePart: Equatable, Sendable {
    case text(String)
    case expression(ExpressionSyntax)
}

/// One step of a reference path: `.name` (backticks removed) or `[n]`.
package enum PathStep: Equatable, Hashable, Sendable {
    case member(String)
    case index(Int)
}

package struct ChainLink: Equatable, Sendable {
    package var op: BinaryOperator
    package var operand: ExpressionSyntax

    package init(_ op: BinaryOperator, _ operand: ExpressionSyntax) {
        self.op = op
        self.operand = operand
    }
}

package enum UnaryOperator: Equatable, Sendable {
    case negate, not, bitNot

    package var text: String {
        switch self {
        case .negate: return "-"
        case .not: return "!"
        case .bitNot: return "~"
        }
    }
}

package enum BinaryOperator: Equatable, Sendable {
    case or, and, bitOr, bitXor, bitAnd, equal, notEqual
    case less, lessOrEqual, greater, greaterOrEqual
    case add, subtract, multiply, divide

    /// Binding strength, 1 (`||`) to 9 (`*`, `/`): the C/Java table adopted in §3.3.
    package var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .bitOr: return 3
        case .bitXor: return 4
        case .bitAnd: return 5
        case .equal, .notEqual: return 6
        case .less, .lessOrEqual, .greater, .greaterOrEqual: return 7
        case .add, .subtract: return 8
        case .multiply, .divide: return 9
        }
    }

    package var text: String {
        switch self {
        case .or: return "||"
        case .and: return "&&"
        case .bitOr: return "|"
        case .bitXor: return "^"
        case .bitAnd: return "&"
        case .equal: return "=="
        case .notEqual: return "!="
        case .less: return "<"
        case .lessOrEqual: return "<="
        case .greater: return ">"
        case .greaterOrEqual: return ">="
        case .add: return "+"
        case .subtract: return "-"
        case .multiply: return "*"
        case .divide: return "/"
        }
    }

    static let lowestPrecedence = 1
    static let highestPrecedence = 9
}

/// The target words of `convert` (§3.6).
package enum ConvertTarget: Equatable, Sendable {
    case string, boolean, decimal

    package init?(word: String) {
        switch word {
        case "String": self = .string
        case "Boolean": self = .boolean
        case "Decimal": self = .decimal
        default: return nil
        }
    }

    package var word: String {
        switch self {
        case .string: return "String"
        case .boolean: return "Boolean"
        case .decimal: return "Decimal"
        }
    }
}

/// The 13 built-in functions; there are no others (§3.6). Names are case-sensitive.
package enum ExpressionFunction: Equatable, Sendable, CaseIterable {
    case timeout, convert, isNull, isUndefined, triggerType, currentInput
    case startsWith, endsWith, contains, bitor, bitand, bitxor, bitnot

    package init?(name: String) {
        for f in ExpressionFunction.allCases where f.name == name {
            self = f
            return
        }
        return nil
    }

    package var name: String {
        switch self {
        case .timeout: return "timeout"
        case .convert: return "convert"
        case .isNull: return "isNull"
        case .isUndefined: return "isUndefined"
        case .triggerType: return "triggerType"
        case .currentInput: return "currentInput"
        case .startsWith: return "startsWith"
        case .endsWith: return "endsWith"
        case .contains: return "contains"
        case .bitor: return "bitor"
        case .bitand: return "bitand"
        case .bitxor: return "bitxor"
        case .bitnot: return "bitnot"
        }
    }

    package var arity: Int {
        switch self {
        case .timeout, .isNull, .isUndefined, .triggerType, .currentInput, .bitnot: return 1
        case .convert, .startsWith, .endsWith, .contains, .bitor, .bitand, .bitxor: return 2
        }
    }
}
