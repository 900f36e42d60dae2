/// The regular expressions of the service models, each as a hand-written matcher (Embedded Swift
/// has no Regex, and these few patterns are simple). generate-schema.py refuses a model with a
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
        }
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
