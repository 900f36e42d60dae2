// The values an IoT Events expression evaluates to (semantics.md §3.4).
public enum ExpressionValue: Equatable, Sendable {
    case integer(Int64)
    case decimal(Double)
    case string(String)
    case boolean(Bool)
    case null
    case undefined

    /// The numeric value as a Double, for Integer and Decimal only.
    var numericValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .decimal(let d): return d
        default: return nil
        }
    }

    /// True only for `.boolean(true)`: a condition fires only then (§3.5).
    public var isTrue: Bool {
        if case .boolean(true) = self { return true }
        return false
    }
}

extension ExpressionValue {
    /// Unary minus (§3.5): Integer→Integer (overflow → Undefined), Decimal→Decimal.
    static func negate(_ v: ExpressionValue) -> ExpressionValue {
        switch v {
        case .integer(let i):
            let (r, o) = Int64(0).subtractingReportingOverflow(i)
            return o ? .undefined : .integer(r)
        case .decimal(let d): return .decimal(-d)
        default: return .undefined
        }
    }

    static func add(_ a: ExpressionValue, _ b: ExpressionValue) -> ExpressionValue {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            return o ? .undefined : .integer(r)
        case (.string(let x), .string(let y)): return .string(x + y)
        default:
            guard let x = a.numericValue, let y = b.numericValue else { return .undefined }
            return .decimal(x + y)
        }
    }

    static func subtract(_ a: ExpressionValue, _ b: ExpressionValue) -> ExpressionValue {
        if case .integer(let x) = a, case .integer(let y) = b {
            let (r, o) = x.subtractingReportingOverflow(y)
            return o ? .undefined : .integer(r)
        }
        guard let x = a.numericValue, let y = b.numericValue else { return .undefined }
        return .decimal(x - y)
    }

    static func multiply(_ a: ExpressionValue, _ b: ExpressionValue) -> ExpressionValue {
        if case .integer(let x) = a, case .integer(let y) = b {
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o ? .undefined : .integer(r)
        }
        guard let x = a.numericValue, let y = b.numericValue else { return .undefined }
        return .decimal(x * y)
    }

    /// Integer division truncates toward zero [A]; division by zero → Undefined.
    static func divide(_ a: ExpressionValue, _ b: ExpressionValue) -> ExpressionValue {
        if case .integer(let x) = a, case .integer(let y) = b {
            if y == 0 { return .undefined }
            let (r, o) = x.dividedReportingOverflow(by: y)
            return o ? .undefined : .integer(r)
        }
        guard let x = a.numericValue, let y = b.numericValue, y != 0 else { return .undefined }
        return .decimal(x / y)
    }
}
