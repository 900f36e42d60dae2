// The values an IoT Events expression evaluates to (docs/behaviour.md §3.4).
package enum ExpressionValue: Equatable, Sendable {
    case integer(Int64)
    /// Always finite: an operation whose Decimal result would be infinite or NaN gives `.undefined`.
    case decimal(Double)
    case string(String)
    case boolean(Bool)
    /// JSON `null` read from a payload; only `isNull`/`isUndefined` accept it meaningfully.
    case null
    /// Missing data or a failed sub-expression.
    case undefined

    /// True only for `.boolean(true)`: a condition fires only then (§3.5, §10 rule 1).
    package var isTrue: Bool {
        if case .boolean(true) = self { return true }
        return false
    }

    package var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// An Integer or a Decimal.
    package var isNumber: Bool {
        switch self {
        case .integer, .decimal: return true
        default: return false
        }
    }

    /// The value's type as the language names it, for messages: "an Integer", "Undefined".
    package var kindName: String {
        switch self {
        case .integer: return "an Integer"
        case .decimal: return "a Decimal"
        case .string: return "a String"
        case .boolean: return "a Boolean"
        case .null: return "Null"
        case .undefined: return "Undefined"
        }
    }

    /// A Decimal, or Undefined when `d` is not finite (overflow is an arithmetic error, §3.5).
    
    static func finite(_ d: Double) -> ExpressionValue {
        d.isFinite ? .decimal(d) : .undefined
    }

    /// Exact equality, strings compared byte for byte (not by Unicode canonical equivalence),
    /// Decimals by bit pattern so `-0.0` and `0.0` differ. For tests and change detection; the
    /// language's `==` is `ExpressionOperators.equal`.
    package static func == (a: ExpressionValue, b: ExpressionValue) -> Bool {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x == y
        case (.decimal(let x), .decimal(let y)): return x.bitPattern == y.bitPattern
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.null, .null), (.undefined, .undefined): return true
        default: return false
        }
    }
}
