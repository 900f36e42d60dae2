/// Compact JSON text, written in one pass into bytes: the payload documents the runtime produces
/// (§4.5) and, in the API layer, the action documents hosts receive. Text, not a tree: the core
/// never sees jansson, and a document is built once and handed over as a string.
///
/// Strings are escaped as jansson's compact dump escapes them (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
/// `\t`, other control characters as `\u00XX`, everything else as it is), so a document reads the
/// same whichever of the two wrote it.
///
/// The text grows in memory the writer owns (it cannot be copied): appending to an array
/// checked its uniqueness and capacity for every string and byte.
package struct JSONWriter: ~Copyable {
    private let bytes: ByteText
    private var needsComma = false

    package init() { bytes = ByteText(capacity: 512) }

    package var text: String { bytes.text }

    /// The text as a NUL-terminated C string, valid only inside `body`, without making a String
    /// (Embedded Swift validates a new String's UTF-8: ~3 000 instructions per action document,
    /// ten times the standard library's). The text holds no NUL byte: strings escape it.
    package func withCString<R>(_ body: (UnsafePointer<CChar>) -> R) -> R { bytes.withCString(body) }

    package mutating func beginObject() { separate(); bytes.append(0x7B); needsComma = false } // {
    package mutating func endObject() { bytes.append(0x7D); needsComma = true } // }
    package mutating func beginArray() { separate(); bytes.append(0x5B); needsComma = false } // [
    package mutating func endArray() { bytes.append(0x5D); needsComma = true } // ]

    /// A member name written in the source: copied as it is (names in the source never need an
    /// escape), without the escape check a String gets.
    package mutating func key(_ k: StaticString) {
        separate()
        bytes.append(0x22) // "
        bytes.append(UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        bytes.append(0x22)
        bytes.append(0x3A) // :
        needsComma = false
    }

    /// A member name known only at run time (a variable, a parameter), escaped as needed.
    package mutating func key(text k: String) {
        separate()
        string(k)
        bytes.append(0x3A) // :
        needsComma = false
    }

    package mutating func value(_ s: String) { separate(); string(s); needsComma = true }
    /// An integer's decimal digits, written straight into the text (no String per number).
    package mutating func value(_ n: Int64) {
        separate()
        needsComma = true
        var magnitude = n.magnitude
        if n < 0 { bytes.append(0x2D) } // -
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]).bindMemory(to: UInt8.self))
        }
    }
    package mutating func value(bool b: Bool) { raw(b ? "true" : "false") }

    /// A value already written as JSON text (a number formatted elsewhere).
    package mutating func raw(_ json: String) {
        separate()
        var json = json
        json.withUTF8 { bytes.append($0) }
        needsComma = true
    }

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
            for m in members { key(text: m.name); value(m.value) }
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

    /// Appends `s` as a JSON string. Most strings need no escape: one pass counts the bytes that
    /// do (a quote, a backslash, a control character; branch-free, so the compiler vectorises it)
    /// and such a string is copied whole. Otherwise runs of bytes that need no escape are copied
    /// whole and each escape is written byte by byte. Byte constants are spelled as numbers and
    /// appended one by one: the Embedded Swift profile miscompiled `UInt8(ascii:)` patterns with
    /// array-literal appends here (a `"` came out as `t`).
    private mutating func string(_ s: String) {
        let quote: UInt8 = 0x22
        bytes.append(quote)
        var s = s
        s.withUTF8 { utf8 in
            if JSONWriter.escapes(in: utf8) == 0 {
                bytes.append(utf8)
            } else {
                escaped(utf8)
            }
        }
        bytes.append(quote)
    }

    /// How many bytes of `utf8` must be escaped (counted in blocks of 240 into a byte-sized
    /// counter, as `JSONDepth` counts brackets).
    private static func escapes(in utf8: UnsafeBufferPointer<UInt8>) -> Int {
        guard var start = utf8.baseAddress else { return 0 }
        let end = start + utf8.count
        var total = 0
        while start < end {
            let blockEnd = start + min(end - start, 240)
            var n: UInt8 = 0
            var byte = start
            while byte < blockEnd {
                let b = byte.pointee
                n &+= (b < 0x20 ? 1 : 0) | (b == 0x22 ? 1 : 0) | (b == 0x5C ? 1 : 0)
                byte += 1
            }
            total += Int(n)
            start = blockEnd
        }
        return total
    }

    private mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C
        var runStart = 0
        for i in 0..<utf8.count {
            let byte = utf8[i]
            if byte >= 0x20 && byte != quote && byte != backslash { continue }
            if runStart < i { bytes.append(UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
            runStart = i + 1
            escape(byte)
        }
        if runStart < utf8.count { bytes.append(UnsafeBufferPointer(rebasing: utf8[runStart...])) }
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

/// Bytes in memory of their own, grown by doubling; freed with the object. A class, not a
/// noncopyable struct with a deinit: Embedded Swift cannot destroy such a struct in another
/// module (the API layer's action documents). The writer that owns it cannot be copied, so the
/// object is never shared.
package final class ByteText {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    var text: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    /// The bytes followed by a NUL (written past the end, not counted, so appending goes on).
    func withCString<R>(_ body: (UnsafePointer<CChar>) -> R) -> R {
        if count == capacity { grow(count + 1) }
        base[count] = 0
        return body(UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self))
    }

    // Always inlined: the small profile's -Osize left these two calls out of line, and every
    // byte and string of a document went through a call (twice the instructions per action
    // document of the standard profile).
    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if count + bytes.count > capacity { grow(count + bytes.count) }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    private func grow(_ needed: Int) {
        let larger = max(capacity * 2, needed)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }
}
