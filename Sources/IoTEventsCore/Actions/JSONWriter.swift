/// Writes JSON text for the payload documents the runtime produces (§4.5). Text, not a tree:
/// the core never sees jansson, and a payload is built once and handed over as a string.
struct JSONWriter {
    private(set) var text = ""
    private var needsComma = false

    init() { text.reserveCapacity(512) }

    mutating func beginObject() { separate(); text += "{"; needsComma = false }
    mutating func endObject() { text += "}"; needsComma = true }

    mutating func key(_ k: String) {
        separate()
        string(k)
        text += ":"
        needsComma = false
    }

    mutating func value(_ s: String) { separate(); string(s); needsComma = true }
    mutating func value(_ n: Int64) { separate(); text += n.description; needsComma = true }

    /// An expression value as its natural JSON: numbers, Booleans, strings, `null`.
    mutating func value(_ v: ExpressionValue) {
        switch v {
        case .string(let s): value(s)
        case .integer(let n): value(n)
        case .decimal(let d): separate(); text += DecimalText.java(d); needsComma = true
        case .boolean(let b): separate(); text += b ? "true" : "false"; needsComma = true
        case .null, .undefined: separate(); text += "null"; needsComma = true
        }
    }

    mutating func value(bool b: Bool) { separate(); text += b ? "true" : "false"; needsComma = true }

    mutating func beginArray() { separate(); text += "["; needsComma = false }
    mutating func endArray() { text += "]"; needsComma = true }

    /// A model's parameter tree as given (alarm notification configurations).
    mutating func value(_ v: ActionParameterValue) {
        switch v {
        case .text(let s): value(s)
        case .integer(let n): value(n)
        case .boolean(let b): value(bool: b)
        case .object(let members):
            beginObject()
            for m in members { key(m.name); value(m.value) }
            endObject()
        case .array(let values):
            beginArray()
            for e in values { value(e) }
            endArray()
        }
    }

    private mutating func separate() {
        if needsComma { text += "," }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `s` as a JSON string. Byte constants are spelled as numbers and appended one by
    /// one: the Embedded Swift profile miscompiled `UInt8(ascii:)` patterns with array-literal
    /// appends here (a `"` came out as `t`).
    private mutating func string(_ s: String) {
        let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        out.append(quote)
        for byte in s.utf8 {
            if byte == quote || byte == backslash {
                out.append(backslash)
                out.append(byte)
            } else if byte == 0x0A {
                out.append(backslash)
                out.append(0x6E) // n
            } else if byte == 0x0D {
                out.append(backslash)
                out.append(0x72) // r
            } else if byte == 0x09 {
                out.append(backslash)
                out.append(0x74) // t
            } else if byte < 0x20 {
                out.append(backslash)
                out.append(0x75) // u
                out.append(0x30)
                out.append(0x30)
                out.append(JSONWriter.hex[Int(byte >> 4)])
                out.append(JSONWriter.hex[Int(byte & 0xF)])
            } else {
                out.append(byte)
            }
        }
        out.append(quote)
        text += String(decoding: out, as: UTF8.self)
    }
}
