import IoTEventsCore

/// Standard base64 (RFC 4648 §4, with padding), as botocore encodes blobs on the wire.
enum Base64 {
    /// Decodes `text`; nil when it is not canonical padded base64 (wrong length, a character
    /// outside the alphabet, misplaced padding). Whitespace is not accepted: botocore sends none.
    static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let decodedCount = decodedCount(text) else { return nil }
        var valid = true
        let bytes = [UInt8](unsafeUninitializedCapacity: decodedCount) { out, initialized in
            if let base = out.baseAddress { valid = decode(text, into: base) }
            initialized = decodedCount
        }
        return valid ? bytes : nil
    }

    /// Decodes `text` into temporary memory (on the stack when small) and hands `body` the bytes,
    /// or nil when `text` is not canonical padded base64. Every base64 payload goes through here:
    /// an array per payload cost an allocation and its release (~330 instructions a message).
    static func withDecoded<R>(_ text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard let decodedCount = decodedCount(text) else { return body(nil) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(decodedCount, 1)) { out in
            guard let base = out.baseAddress else { return body(nil) }
            if decodedCount > 0, !decode(text, into: base) { return body(nil) }
            return body(UnsafeBufferPointer(start: base, count: decodedCount))
        }
    }

    /// The decoded size of `text`, or nil when its length is not a multiple of four.
    private static func decodedCount(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = text.count
        guard n % 4 == 0 else { return nil }
        guard n > 0, let input = text.baseAddress else { return 0 }
        let padding = input[n - 1] != UInt8(ascii: "=") ? 0 : (input[n - 2] != UInt8(ascii: "=") ? 1 : 2)
        return n / 4 * 3 - padding
    }

    /// Decodes non-empty `text` of a valid length into `out` (room for its decoded size): each
    /// quad is four table lookups, with one validity test for the whole text at the end.
    private static func decode(_ text: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        guard let input = text.baseAddress, text.count >= 4 else { return text.isEmpty }
        let n = text.count
        let padding = input[n - 1] != UInt8(ascii: "=") ? 0 : (input[n - 2] != UInt8(ascii: "=") ? 1 : 2)
        return Base64.sextets.withUnsafeBufferPointer { sextets -> Bool in
            // Looked up through the pointer: the table has an entry for every byte, so the
            // buffer's bounds checks (four a quad) and the indexes' overflow checks are moot.
            guard let table = sextets.baseAddress, sextets.count == 256 else { return false }
            // An invalid character (padding included) looks up as 0xFF; OR-ing every lookup
            // leaves the high bit set if any was invalid.
            var invalid: UInt8 = 0
            var i = 0
            var o = 0
            let whole = padding == 0 ? n : n - 4
            while i < whole {
                let a = table[Int(input[i])], b = table[Int(input[i &+ 1])]
                let c = table[Int(input[i &+ 2])], d = table[Int(input[i &+ 3])]
                invalid |= a | b | c | d
                let quad = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d & 0x3F)
                out[o] = UInt8(truncatingIfNeeded: quad >> 16)
                out[o &+ 1] = UInt8(truncatingIfNeeded: quad >> 8)
                out[o &+ 2] = UInt8(truncatingIfNeeded: quad)
                i &+= 4
                o &+= 3
            }
            if padding > 0 {
                // The last quad: "xx==" holds one byte, "xxx=" two.
                let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                let c = padding == 1 ? table[Int(input[i + 2])] : 0
                invalid |= a | b | c
                let quad = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c & 0x3F) << 6
                out[o] = UInt8(truncatingIfNeeded: quad >> 16)
                if padding == 1 { out[o + 1] = UInt8(truncatingIfNeeded: quad >> 8) }
            }
            return invalid & 0x80 == 0
        }
    }

    /// Each byte's 6-bit value in the alphabet; 0xFF for every other byte, `=` included.
    private static let sextets: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(i + 1 < bytes.count ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(n & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
