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

    /// Appends `s` as a JSON string. Most strings need no escape: one pass counts the bytes that
    /// do (a quote, a backslash, a control character; branch-free, so the compiler vectorises it)
    /// and such a string is copied whole. Otherwise `escaped` writes it in a second pass. Either
    /// way the room for the whole string is made once, from that count, and the bytes are written
    /// through a pointer: appending run by run cost a memcpy call per run and a capacity check
    /// per escape byte (~1 100 instructions for a 55-byte JSON payload with ten quotes). Byte
    /// constants are spelled as numbers: the Embedded Swift profile miscompiled `UInt8(ascii:)`
    /// patterns with array-literal appends here (a `"` came out as `t`).
    private mutating func string(_ s: String) { JSONWriter.string(s, into: bytes) }

    /// `bytes` as a parameter, not read from `self` inside the closure: that cost a retain and a
    /// release of the buffer object per string. The string is read in place (native and small
    /// strings, all there are here); `withUTF8`, for any other, needs a copy of it (a retain and
    /// a release).
    private static func string(_ s: String, into bytes: ByteText) {
        if s.utf8.withContiguousStorageIfAvailable({ string(utf8: $0, into: bytes) }) != nil { return }
        var s = s
        s.withUTF8 { string(utf8: $0, into: bytes) }
    }

    @inline(__always)
    private static func string(utf8: UnsafeBufferPointer<UInt8>, into bytes: ByteText) {
        let escapes = JSONWriter.escapes(in: utf8)
        // The quotes, the bytes and, per byte to escape, at most 5 more (`\u00XX` for one byte).
        var out = bytes.unwritten(atLeast: utf8.count + 5 * escapes + 2)
        out.pointee = 0x22 // "
        out += 1
        if escapes == 0 {
            if let source = utf8.baseAddress { out.initialize(from: source, count: utf8.count) }
            out += utf8.count
        } else {
            out = JSONWriter.escaped(utf8, into: out)
        }
        out.pointee = 0x22
        bytes.wrote(upTo: out + 1)
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

    /// Writes `utf8` escaped at `out`, which has room for it (see `string`); returns where it ended.
    /// A quote, a backslash or a control character is a byte that JSON text cannot hold as it is.
    private static func escaped(_ utf8: UnsafeBufferPointer<UInt8>, into start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var out = start
        for byte in utf8 {
            if byte >= 0x20 && byte != 0x22 && byte != 0x5C {
                out.pointee = byte
                out += 1
                continue
            }
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
                out += 4
            default: out[1] = byte // the quote or the backslash itself
            }
            out += 2
        }
        return out
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
