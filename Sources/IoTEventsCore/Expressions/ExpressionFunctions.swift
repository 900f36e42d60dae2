import CLibcShim

/// The built-in functions that do not need the evaluation context (docs/behaviour.md §3.6).
enum ExpressionFunctions {
    /// `triggerType`'s argument: true for "Message", false for "Timer" (ASCII case-insensitive:
    /// AWS's analyser documentation writes `"MESSAGE"`), nil for anything else.
    static func triggerKind(_ name: String) -> Bool? {
        if asciiCaseInsensitiveEqual(name, "message") { return true }
        if asciiCaseInsensitiveEqual(name, "timer") { return false }
        return nil
    }

    static func asciiCaseInsensitiveEqual(_ s: String, _ lowercase: StaticString) -> Bool {
        let other = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        var i = 0
        for b in s.utf8 {
            if i >= other.count { return false }
            let folded = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
            if folded != other[i] { return false }
            i += 1
        }
        return i == other.count
    }

    static func binary(_ f: ExpressionFunction, _ a: ExpressionValue, _ b: ExpressionValue) -> ExpressionValue {
        switch f {
        case .bitor: return ExpressionOperators.bitOr(a, b)
        case .bitand: return ExpressionOperators.bitAnd(a, b)
        case .bitxor: return ExpressionOperators.bitXor(a, b)
        default:
            guard case .string(let s) = a, case .string(let t) = b else { return .undefined }
            switch f {
            case .startsWith: return .boolean(s.utf8HasPrefix(t))
            case .endsWith: return .boolean(s.utf8HasSuffix(t))
            default: return .boolean(contains(s, t))
            }
        }
    }

    /// Byte-wise substring search (Embedded Swift has no `String.contains(String)`); UTF-8 makes a
    /// byte match a character match.
    static func contains(_ s: String, _ part: String) -> Bool {
        if let found = s.utf8.withContiguousStorageIfAvailable({ haystack in
            part.utf8.withContiguousStorageIfAvailable { needle in search(haystack, needle) }
        }), let result = found {
            return result
        }
        let haystack = Array(s.utf8)
        let needle = Array(part.utf8)
        return haystack.withUnsafeBufferPointer { h in needle.withUnsafeBufferPointer { n in search(h, n) } }
    }

    private static func search(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        if needle.isEmpty { return true }
        if needle.count > haystack.count { return false }
        var i = 0
        while i + needle.count <= haystack.count {
            var j = 0
            while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
            if j == needle.count { return true }
            i += 1
        }
        return false
    }

    /// `convert` (§3.6): Boolean→String, Decimal→String, String→Boolean (case-insensitive),
    /// String→Decimal (a decimal number and nothing else); an Integer counts as a Decimal [A]
    /// (`convert(String, 5)` is "5", `convert(Decimal, 5)` is 5.0). Every other conversion,
    /// identities included, fails: Undefined.
    static func convert(_ v: ExpressionValue, to target: ConvertTarget) -> ExpressionValue {
        switch (target, v) {
        case (.string, .boolean(let b)): return .string(b ? "true" : "false")
        case (.string, .decimal), (.string, .integer): return .string(v.templateText ?? "")
        case (.boolean, .string(let s)):
            if asciiCaseInsensitiveEqual(s, "true") { return .boolean(true) }
            if asciiCaseInsensitiveEqual(s, "false") { return .boolean(false) }
            return .undefined
        case (.decimal, .integer(let i)): return .decimal(Double(i))
        case (.decimal, .string(let s)):
            guard let d = parseDecimalText(s) else { return .undefined }
            return .decimal(d)
        default: return .undefined
        }
    }

    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, finite; no spaces, no
    /// hexadecimal, no NaN or Infinity (which strtod alone would accept).
    static func parseDecimalText(_ s: String) -> Double? {
        let bytes = Array(s.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < bytes.count && (bytes[i] == 0x2B || bytes[i] == 0x2D) { i += 1 }
        var mantissa = digits()
        if i < bytes.count && bytes[i] == 0x2E {
            i += 1
            mantissa += digits()
        }
        if mantissa == 0 { return nil }
        if i < bytes.count && (bytes[i] == 0x65 || bytes[i] == 0x45) {
            i += 1
            if i < bytes.count && (bytes[i] == 0x2B || bytes[i] == 0x2D) { i += 1 }
            if digits() == 0 { return nil }
        }
        if i != bytes.count { return nil }
        return finiteDouble(bytes[...])
    }

    /// The C-locale number the bytes spell (already checked to be number syntax), if finite.
    static func finiteDouble(_ bytes: ArraySlice<UInt8>) -> Double? {
        var d = 0.0
        let ok = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { ie_parse_double($0.baseAddress, $0.count, &d) }
        }
        return ok == 1 && d.isFinite ? d : nil
    }
}
