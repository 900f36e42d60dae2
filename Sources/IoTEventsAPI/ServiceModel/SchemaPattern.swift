/// The regular expressions of the service models, each as a hand-written matcher (Embedded Swift
/// has no Regex, and these few patterns are simple). tools/codegen.py refuses a model with a
/// pattern that has no case here.
enum SchemaPattern: UInt8 {
    case none
    /// `^[a-zA-Z0-9_-]+$` (message and request ids)
    case idCharacters
    /// `^((`[\w\- ]+`)|([\w\-]+))(\.((`[\w- ]+`)|([\w\-]+)))*$` (input attribute paths)
    case attributeJsonPath
    /// `([\n\t])|(\r\n)|(,)` (Firehose record separators: the whole value is one of them)
    case firehoseSeparator
    /// `^[a-zA-Z][a-zA-Z0-9_]*$` (input, variable and timer names)
    case identifier
    /// `^[a-zA-Z0-9\-_:]+$` (detector and alarm key values)
    case keyValue
    /// `^[a-zA-Z0-9][a-zA-Z0-9_.-]*$` (the data plane's looser input name)
    case dataInputName
    /// AWS IoT SiteWise's ids (tools/codegen-extras.json): a lower-case UUID, not all zeros.
    case uuid
    /// SiteWise's property aliases: no control characters.
    case noControlCharacters

    /// The pattern as the service model writes it, for error messages.
    var text: String {
        switch self {
        case .none: return ""
        case .idCharacters: return "^[a-zA-Z0-9_-]+$"
        case .attributeJsonPath: return "^((`[\\w\\- ]+`)|([\\w\\-]+))(\\.((`[\\w- ]+`)|([\\w\\-]+)))*$"
        case .firehoseSeparator: return "([\\n\\t])|(\\r\\n)|(,)"
        case .identifier: return "^[a-zA-Z][a-zA-Z0-9_]*$"
        case .keyValue: return "^[a-zA-Z0-9\\-_:]+$"
        case .dataInputName: return "^[a-zA-Z0-9][a-zA-Z0-9_.-]*$"
        case .uuid: return "^(?!00000000-0000-0000-0000-000000000000)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
        case .noControlCharacters: return "[^\\u0000-\\u001F\\u007F]+"
        }
    }

    func matches<S: Collection>(_ s: S) -> Bool where S.Element == UInt8 {
        switch self {
        case .none:
            return true
        case .idCharacters:
            return !s.isEmpty && s.allSatisfy { Chars.isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
        case .identifier:
            guard let first = s.first, Chars.isAlpha(first) else { return false }
            return s.allSatisfy { Chars.isAlnum($0) || $0 == UInt8(ascii: "_") }
        case .keyValue:
            return !s.isEmpty && s.allSatisfy {
                Chars.isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":")
            }
        case .dataInputName:
            guard let first = s.first, Chars.isAlnum(first) else { return false }
            return s.allSatisfy {
                Chars.isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
            }
        case .firehoseSeparator:
            return s.elementsEqual([10]) || s.elementsEqual([9]) || s.elementsEqual([13, 10]) || s.elementsEqual([44])
        case .attributeJsonPath:
            return SchemaPattern.isAttributePath(Array(s))
        case .uuid:
            return SchemaPattern.isUUID(Array(s))
        case .noControlCharacters:
            return !s.isEmpty && s.allSatisfy { $0 >= 0x20 && $0 != 0x7F }
        }
    }

    /// 8-4-4-4-12 lower-case hexadecimal digits, not all zero.
    private static func isUUID(_ s: [UInt8]) -> Bool {
        guard s.count == 36 else { return false }
        var allZero = true
        for (i, c) in s.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if c != UInt8(ascii: "-") { return false }
                continue
            }
            let hex = Chars.isDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
            if !hex { return false }
            if c != UInt8(ascii: "0") { allZero = false }
        }
        return !allZero
    }

    /// Dot-separated segments; each is `[\w-]+`, or `` `[\w- ]+` `` in backticks.
    private static func isAttributePath(_ s: [UInt8]) -> Bool {
        var i = 0
        while true {
            if i < s.count, s[i] == UInt8(ascii: "`") {
                i += 1
                let start = i
                while i < s.count, Chars.isWord(s[i]) || s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: " ") { i += 1 }
                guard i > start, i < s.count, s[i] == UInt8(ascii: "`") else { return false }
                i += 1
            } else {
                let start = i
                while i < s.count, Chars.isWord(s[i]) || s[i] == UInt8(ascii: "-") { i += 1 }
                guard i > start else { return false }
            }
            if i == s.count { return true }
            guard s[i] == UInt8(ascii: ".") else { return false }
            i += 1
        }
    }
}

/// ASCII character classes (Java's `\w` is ASCII-only: `[a-zA-Z0-9_]`).
enum Chars {
    static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    static func isAlnum(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) }
    static func isWord(_ c: UInt8) -> Bool { isAlnum(c) || c == UInt8(ascii: "_") }
}
