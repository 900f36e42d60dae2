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

    /// Empties the text, keeping its memory, for another document.
    package mutating func removeAll() {
        bytes.removeAll()
        needsComma = false
    }

    /// The text as a NUL-terminated C string, valid only inside `body`, without making a String
    /// (Embedded Swift validates a new String's UTF-8: ~3 000 instructions per action document,
    /// ten times the standard library's). The text holds no NUL byte: strings escape it.
    package func withCString<R>(_ body: (UnsafePointer<CChar>) -> R) -> R { bytes.withCString(body) }

    package mutating func beginObject() { separate(); bytes.append(0x7B); needsComma = false } // {
    package mutating func endObject() { bytes.append(0x7D); needsComma = true } // }
    package mutating func beginArray() { separate(); bytes.append(0x5B); needsComma = false } // [
    package mutating func endArray() { bytes.append(0x5D); needsComma = true } // ]

    /// A member name written in the source: copied as it is (names in the source never need an
    /// escape), without the escape check a String gets. The separator, the quoted name and the
    /// colon are written into room made once (a capacity check and a count update for each of
    /// four appends cost a third of a key).
    package mutating func key(_ k: StaticString) {
        let n = k.utf8CodeUnitCount
        var out = bytes.unwritten(atLeast: n + 4)
        if needsComma {
            out.pointee = 0x2C // ,
            out += 1
        }
        out[0] = 0x22 // "
        (out + 1).initialize(from: k.utf8Start, count: n)
        out[n + 1] = 0x22
        out[n + 2] = 0x3A // :
        bytes.wrote(upTo: out + n + 3)
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
        json.withUTF8Bytes { bytes.append($0) }
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

    /// Appends `s` as a JSON string, in one pass over its bytes, eight at a time: each word is
    /// copied as it is and tested for a byte that needs an escape (a quote, a backslash, a control
    /// character); the first such byte's escape is written over its copy and the pass goes on
    /// after it. Room is made once per block of 64 bytes, for the block's longest escaped text
    /// (6 bytes for each, `\u00XX`) and the word stored past its end. Counting the escapes first
    /// (a pass of its own, ~90 instructions for a short string) and copying runs between escapes
    /// (a memcpy call each) cost more than the writing. Byte constants are spelled as numbers:
    /// the Embedded Swift profile miscompiled `UInt8(ascii:)` patterns with array-literal
    /// appends here (a `"` came out as `t`).
    private mutating func string(_ s: String) { JSONWriter.string(s, into: bytes) }

    /// `bytes` as a parameter, not read from `self` inside the closure: that cost a retain and a
    /// release of the buffer object per string. Never inlined: every writer of a document would
    /// carry its own copy of the escaping loop (15 KB in the small profile).
    @inline(never)
    private static func string(_ s: String, into bytes: ByteText) {
        s.withUTF8Bytes { string(utf8: $0, into: bytes) }
    }

    private static func string(utf8: UnsafeBufferPointer<UInt8>, into bytes: ByteText) {
        guard var input = utf8.baseAddress, utf8.count > 0 else {
            let out = bytes.unwritten(atLeast: 2)
            out[0] = 0x22 // "
            out[1] = 0x22
            bytes.wrote(upTo: out + 2)
            return
        }
        let end = input + utf8.count
        // Each block's room: its longest escaped text, the word stored past it, the closing quote
        // (and before the first block, the opening one).
        var out = bytes.unwritten(atLeast: 6 * min(utf8.count, 64) + 10)
        out.pointee = 0x22
        out += 1
        while true {
            let blockEnd = input + min(end - input, 64)
            while blockEnd - input >= 8 {
                let word = UnsafeRawPointer(input).loadUnaligned(as: UInt64.self)
                UnsafeMutableRawPointer(out).storeBytes(of: word, as: UInt64.self)
                let flags = escapeFlags(UInt64(littleEndian: word))
                if flags == 0 {
                    input += 8
                    out += 8
                    continue
                }
                let plain = flags.trailingZeroBitCount >> 3 // the bytes before the first flagged one
                out = escape(input[plain], at: out + plain)
                input += plain + 1
            }
            while input < blockEnd { // the rest of the block, fewer than 8 bytes, one by one
                let byte = input.pointee
                if byte >= 0x20 && byte != 0x22 && byte != 0x5C {
                    out.pointee = byte
                    out += 1
                } else {
                    out = escape(byte, at: out)
                }
                input += 1
            }
            if input == end { break }
            bytes.wrote(upTo: out)
            out = bytes.unwritten(atLeast: 6 * min(end - input, 64) + 9)
        }
        out.pointee = 0x22
        bytes.wrote(upTo: out + 1)
    }

    /// The high bit of each byte of `w` (the first byte lowest) that needs an escape: below 0x20,
    /// a quote or a backslash. Exact for every byte: no sum carries into the next byte (the low
    /// seven bits plus 0x60 or 0x7F stay below 0x100).
    @inline(__always)
    private static func escapeFlags(_ w: UInt64) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let atLeastSpace = ((w & low) &+ 0x6060_6060_6060_6060) | w // high bit: 0x20 or more
        let q = w ^ 0x2222_2222_2222_2222, b = w ^ 0x5C5C_5C5C_5C5C_5C5C
        let notQuote = ((q & low) &+ low) | q, notBackslash = ((b & low) &+ low) | b // high bit: not zero
        return ~(atLeastSpace & notQuote & notBackslash) & 0x8080_8080_8080_8080
    }

    /// Writes the escape of `byte` (a quote, a backslash or a control character: a byte JSON text
    /// cannot hold as it is) at `out`; returns where it ended.
    @inline(__always)
    private static func escape(_ byte: UInt8, at out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        out[0] = 0x5C // \
        switch byte {
        case 0x08: out[1] = 0x62 // b
        case 0x0C: out[1] = 0x66 // f
        case 0x0A: out[1] = 0x6E // n
        case 0x0D: out[1] = 0x72 // r
        case 0x09: out[1] = 0x74 // t
        case 0..<0x20:
            out[1] = 0x75 // u
            out[2] = 0x30
            out[3] = 0x30
            out[4] = 0x30 + (byte >> 4) // 0 or 1
            let low = byte & 0xF
            out[5] = low < 10 ? 0x30 + low : 0x37 + low // jansson's capital A-F
            return out + 6
        default: out[1] = byte // the quote or the backslash itself
        }
        return out + 2
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

    func removeAll() { count = 0 }

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

    /// Where the next byte goes, with room for `n` bytes from there: write through it, then say
    /// where the writing ended (`wrote(upTo:)`), with no other append in between (a growth moves
    /// the bytes). One capacity check for a whole string, not one per byte.
    @inline(__always)
    func unwritten(atLeast n: Int) -> UnsafeMutablePointer<UInt8> {
        if count + n > capacity { grow(count + n) }
        return base + count
    }

    @inline(__always)
    func wrote(upTo end: UnsafeMutablePointer<UInt8>) {
        assert(end <= base + capacity, "written past the room made for it")
        count = end - base
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
