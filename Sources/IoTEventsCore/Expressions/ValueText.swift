// How values turn into text (docs/behaviour.md §3.7 and §6.4).
extension ExpressionValue {
    /// The text a `${…}` template substitutes: Strings without quotes, Integers as digits, Decimals
    /// as Java's `Double.toString` writes them, Booleans as `true`/`false`. nil for Null and
    /// Undefined, which make the whole template fail (§3.7 [I]).
    package var templateText: String? {
        switch self {
        case .string(let s): return s
        case .integer(let i): return i.description
        case .decimal(let d): return DecimalText.java(d)
        case .boolean(let b): return b ? "true" : "false"
        case .null, .undefined: return nil
        }
    }

    /// The value written as an expression literal, as `DescribeDetector` reports variables (§6.4):
    /// `10`, `15.0`, `false`, `"01"` (Strings double-quoted, `"` and `\` escaped so the text parses
    /// back to the same String). nil for Null and Undefined, which a variable never holds.
    package var literalText: String? {
        switch self {
        case .string(let s):
            var out = "\""
            for scalar in s.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { out.unicodeScalars.append("\\") }
                out.unicodeScalars.append(scalar)
            }
            out += "\""
            return out
        case .integer, .decimal, .boolean: return templateText
        case .null, .undefined: return nil
        }
    }
}

/// Java's `Double.toString` layout over the shortest round-trip digits: plain notation with at
/// least one fractional digit for 10⁻³ ≤ |d| < 10⁷ (`20.0`, `50.018`, `0.001`), otherwise one digit,
/// a point, the rest and `E` with the exponent (`1.0E10`, `1.5E-5`).
package enum DecimalText {
    package static func java(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        let (digits, exponent) = shortestDigits(d)
        var out = d < 0 ? "-" : ""
        let magnitude = d.magnitude
        if magnitude >= 1e-3 && magnitude < 1e7 {
            // value = 0.digits × 10^exponent
            if exponent <= 0 {
                out += "0."
                for _ in 0 ..< -exponent { out += "0" }
                out += digits
            } else if exponent >= digits.utf8.count {
                out += digits
                for _ in 0 ..< exponent - digits.utf8.count { out += "0" }
                out += ".0"
            } else {
                let bytes = Array(digits.utf8)
                out += String(decoding: bytes[0 ..< exponent], as: UTF8.self)
                out += "."
                out += String(decoding: bytes[exponent...], as: UTF8.self)
            }
        } else {
            let bytes = Array(digits.utf8)
            out += String(decoding: bytes[0 ..< 1], as: UTF8.self)
            out += "."
            out += bytes.count > 1 ? String(decoding: bytes[1...], as: UTF8.self) : "0"
            out += "E"
            out += (exponent - 1).description
        }
        return out
    }

    /// The shortest digit string (no leading or trailing zeros) and exponent e with
    /// |d| = 0.digits × 10^e, taken from Swift's own shortest round-trip description.
    static func shortestDigits(_ d: Double) -> (String, Int) {
        var digits: [UInt8] = []
        var pointPosition: Int? = nil
        var exponent = 0
        var exponentSign = 1
        var inExponent = false
        for byte in d.magnitude.description.utf8 {
            if inExponent {
                switch byte {
                case UInt8(ascii: "-"): exponentSign = -1
                case UInt8(ascii: "+"): break
                default: exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "."): pointPosition = digits.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            default: digits.append(byte)
            }
        }
        var position = (pointPosition ?? digits.count) + exponentSign * exponent
        // Strip leading zeros (each moves the point left by one) and trailing zeros.
        var start = 0
        while start < digits.count - 1 && digits[start] == UInt8(ascii: "0") {
            start += 1
            position -= 1
        }
        var end = digits.count
        while end > start + 1 && digits[end - 1] == UInt8(ascii: "0") { end -= 1 }
        return (String(decoding: digits[start ..< end], as: UTF8.self), position)
    }
}
