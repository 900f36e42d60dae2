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

    private mutating func string(_ s: String) {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(s.utf8.count + 2)
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                        JSONWriter.hex[Int(byte >> 4)], JSONWriter.hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        text += String(decoding: out, as: UTF8.self)
    }
}
