/// Compact JSON text, written in one pass into bytes: the payload documents the runtime produces
/// (§4.5) and, in the API layer, the action documents hosts receive. Text, not a tree: the core
/// never sees jansson, and a document is built once and handed over as a string.
///
/// Strings are escaped as jansson's compact dump escapes them (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
/// `\t`, other control characters as `\u00XX`, everything else as it is), so a document reads the
/// same whichever of the two wrote it.
package struct JSONWriter {
    private var bytes: [UInt8] = []
    private var needsComma = false

    package init() { bytes.reserveCapacity(512) }

    package var text: String { String(decoding: bytes, as: UTF8.self) }

    package mutating func beginObject() { separate(); bytes.append(0x7B); needsComma = false } // {
    package mutating func endObject() { bytes.append(0x7D); needsComma = true } // }
    package mutating func beginArray() { separate(); bytes.append(0x5B); needsComma = false } // [
    package mutating func endArray() { bytes.append(0x5D); needsComma = true } // ]

    package mutating func key(_ k: String) {
        separate()
        string(k)
        bytes.append(0x3A) // :
        needsComma = false
    }

    package mutating func value(_ s: String) { separate(); string(s); needsComma = true }
    package mutating func value(_ n: Int64) { raw(n.description) }
    package mutating func value(bool b: Bool) { raw(b ? "true" : "false") }

    /// A value already written as JSON text (a number formatted elsewhere).
    package mutating func raw(_ json: String) { separate(); bytes.append(contentsOf: json.utf8); needsComma = true }

    /// An expression value as its natural JSON: numbers (a Decimal as AWS printed it), Booleans,
    /// strings, `null`.
    package mutating func value(_ v: ExpressionValue) {
        switch v {
        case .string(let s): value(s)
        case .integer(let n): value(n)
        case .decimal(let d): raw(DecimalText.java(d))
        case .boolean(let b): value(bool: b)
        case .null, .undefined: raw("null")
        }
    }

    /// A model's parameter tree as given (action parameters, alarm notification configurations).
    package mutating func value(_ v: ActionParameterValue) {
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
        if needsComma { bytes.append(0x2C) } // ,
    }

    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Appends `s` as a JSON string: runs of bytes that need no escape are copied whole (most
    /// strings are one run), each escape is written byte by byte. Byte constants are spelled as
    /// numbers and appended one by one: the Embedded Swift profile miscompiled `UInt8(ascii:)`
    /// patterns with array-literal appends here (a `"` came out as `t`).
    private mutating func string(_ s: String) {
        let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C
        bytes.append(quote)
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let byte = utf8[i]
                if byte >= 0x20 && byte != quote && byte != backslash { continue }
                if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                runStart = i + 1
                escape(byte)
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(quote)
    }

    /// A byte of a string that JSON text cannot hold as it is: a quote, a backslash, a control character.
    private mutating func escape(_ byte: UInt8) {
        let backslash: UInt8 = 0x5C
        bytes.append(backslash)
        switch byte {
        case 0x08: bytes.append(0x62) // b
        case 0x0C: bytes.append(0x66) // f
        case 0x0A: bytes.append(0x6E) // n
        case 0x0D: bytes.append(0x72) // r
        case 0x09: bytes.append(0x74) // t
        case 0..<0x20:
            bytes.append(0x75) // u
            bytes.append(0x30)
            bytes.append(0x30)
            bytes.append(JSONWriter.hex[Int(byte >> 4)])
            bytes.append(JSONWriter.hex[Int(byte & 0xF)])
        default: bytes.append(byte) // the quote or the backslash itself
        }
    }
}
