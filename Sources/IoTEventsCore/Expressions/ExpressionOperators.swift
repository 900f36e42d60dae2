// The operators of the expression language over runtime values (docs/behaviour.md §3.5).
//
// General rule: an incompatible type, a Null, an Undefined or an arithmetic error (division by
// zero, overflow) gives Undefined. The exceptions are the comparisons (NaN-like with an Undefined
// operand) and `||` (Undefined counts as false); `&&`/`||` themselves live in the evaluator
// because they short-circuit.
enum ExpressionOperators {
    static func negate(_ v: ExpressionValue) -> ExpressionValue {
        switch v {
        case .integer(let i):
            let (r, o) = Int64(0).subtractingReportingOverflow(i)
            return o ? .undefined : .integer(r)
        case .decimal(let d): return .decimal(-d)
        default: return .undefined
        }
    }

    static func not(_ v: ExpressionValue) -> ExpressionValue {
        if case .boolean(let b) = v { return .boolean(!b) }
        return .undefined
    }

    static func bitNot(_ v: ExpressionValue) -> ExpressionValue {
        if case .integer(let i) = v { return .integer(~i) }
        return .undefined
    }

    static func add(_ a: ExpressionValue, _ b: ExpressionValue) -> ExpressionValue {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            return o ? .undefined : .integer(r)
        case (.decimal(let x), .decimal(let y)): return .finite(x + y)
        case (.integer(let x), .decimal(let y)): return .finite(Double(x) + y)
        case (.decimal(let x), .integer(let y)): return .finite(x + Double(y))
        case (.string(let x), .string(let y)): return .string(x + y)
        default: return .undefined
        }
    }

    static func subtract(_ a: ExpressionValue, _ b: ExpressionValue) -> ExpressionValue {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            return o ? .undefined : .integer(r)
        case (.decimal(let x), .decimal(let y)): return .finite(x - y)
        case (.integer(let x), .decimal(let y)): return .finite(Double(x) - y)
        case (.decimal(let x), .integer(let y)): return .finite(x - Double(y))
        default: return .undefined
        }
    }

    static func multiply(_ a: ExpressionValue, _ b: ExpressionValue) -> ExpressionValue {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o ? .undefined : .integer(r)
        case (.decimal(let x), .decimal(let y)): return .finite(x * y)
        case (.integer(let x), .decimal(let y)): return .finite(Double(x) * y)
        case (.decimal(let x), .integer(let y)): return .finite(x * Double(y))
        default: return .undefined
        }
    }

    /// Integer division truncates toward zero [A] (`-7/2 = -3`); division by zero → Undefined.
    static func divide(_ a: ExpressionValue, _ b: ExpressionValue) -> ExpressionValue {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            if y == 0 { return .undefined }
            let (r, o) = x.dividedReportingOverflow(by: y)
            return o ? .undefined : .integer(r)
        case (.decimal(let x), .decimal(let y)): return y == 0 ? .undefined : .finite(x / y)
        case (.integer(let x), .decimal(let y)): return y == 0 ? .undefined : .finite(Double(x) / y)
        case (.decimal(let x), .integer(let y)): return y == 0 ? .undefined : .finite(x / Double(y))
        default: return .undefined
        }
    }

    static func bitOr(_ a: ExpressionValue, _ b: ExpressionValue) -> ExpressionValue {
        if case .integer(let x) = a, case .integer(let y) = b { return .integer(x | y) }
        return .undefined
    }

    static func bitAnd(_ a: ExpressionValue, _ b: ExpressionValue) -> ExpressionValue {
        if case .integer(let x) = a, case .integer(let y) = b { return .integer(x & y) }
        return .undefined
    }

    static func bitXor(_ a: ExpressionValue, _ b: ExpressionValue) -> ExpressionValue {
        if case .integer(let x) = a, case .integer(let y) = b { return .integer(x ^ y) }
        return .undefined
    }

    /// -1, 0 or 1 for two numbers or two strings; nil for any other pair. Integer against Decimal
    /// compares the exact values (no rounding of large integers); Decimals are always finite.
    /// (Nested switches: a switch over the pair copies both values and is several times slower.)
    static func order(_ a: ExpressionValue, _ b: ExpressionValue) -> Int? {
        switch a {
        case .integer(let x):
            switch b {
            case .integer(let y): return x < y ? -1 : (x == y ? 0 : 1)
            case .decimal(let y): return compare(x, y)
            default: return nil
            }
        case .decimal(let x):
            switch b {
            case .decimal(let y): return x < y ? -1 : (x == y ? 0 : 1)
            case .integer(let y): return -compare(y, x)
            default: return nil
            }
        case .string(let x):
            guard case .string(let y) = b else { return nil }
            // Code-point order is UTF-8 byte order (§3.5 [A]).
            if x.utf8.elementsEqual(y.utf8) { return 0 }
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        default: return nil
        }
    }

    /// Compares an Int64 with a finite Double exactly.
    static func compare(_ i: Int64, _ d: Double) -> Int {
        if i.magnitude <= 1 << 53 {
            // Exactly representable: an ordinary Double comparison is exact.
            let x = Double(i)
            return x < d ? -1 : (x == d ? 0 : 1)
        }
        if d >= 9_223_372_036_854_775_808.0 { return -1 }
        if d < -9_223_372_036_854_775_808.0 { return 1 }
        let t = d.rounded(.towardZero)
        let ti = Int64(t)
        if i != ti { return i < ti ? -1 : 1 }
        let fraction = d - t
        return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
    }

    /// `==` (`negated`: `!=`): numbers numerically, strings byte for byte, Booleans. With an
    /// Undefined operand `==` is false and `!=` true (NaN-like, inferred from AWS's Simple Alarm
    /// blueprint); any other mix, Null included, is Undefined.
    static func equal(_ a: ExpressionValue, _ b: ExpressionValue, negated: Bool) -> ExpressionValue {
        if a.isUndefined || b.isUndefined { return .boolean(negated) }
        if case .boolean(let x) = a, case .boolean(let y) = b { return .boolean((x == y) != negated) }
        guard let o = order(a, b) else { return .undefined }
        return .boolean((o == 0) != negated)
    }

    enum Relation { case less, lessOrEqual, greater, greaterOrEqual }

    /// `<` `<=` `>` `>=`: two numbers or two strings; false with an Undefined operand; else Undefined.
    static func relate(_ a: ExpressionValue, _ b: ExpressionValue, _ r: Relation) -> ExpressionValue {
        if a.isUndefined || b.isUndefined { return .boolean(false) }
        guard let o = order(a, b) else { return .undefined }
        switch r {
        case .less: return .boolean(o < 0)
        case .lessOrEqual: return .boolean(o <= 0)
        case .greater: return .boolean(o > 0)
        case .greaterOrEqual: return .boolean(o >= 0)
        }
    }
}
