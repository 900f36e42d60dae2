/// Standard base64 (RFC 4648 §4, with padding), as botocore encodes blobs on the wire.
enum Base64 {
    /// Decodes `text`; nil when it is not canonical padded base64 (wrong length, a character
    /// outside the alphabet, misplaced padding). Whitespace is not accepted: botocore sends none.
    static func decode<S: Collection>(_ text: S) -> [UInt8]? where S.Element == UInt8 {
        guard text.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var quad: UInt32 = 0
        var filled = 0
        var padding = 0
        for c in text {
            let v: UInt32
            if c == UInt8(ascii: "=") {
                padding += 1
                v = 0
            } else {
                guard padding == 0, let d = value(c) else { return nil }
                v = d
            }
            quad = quad << 6 | v
            filled += 1
            if filled == 4 {
                out.append(UInt8(truncatingIfNeeded: quad >> 16))
                if padding < 2 { out.append(UInt8(truncatingIfNeeded: quad >> 8)) }
                if padding < 1 { out.append(UInt8(truncatingIfNeeded: quad)) }
                quad = 0
                filled = 0
            }
        }
        guard padding <= 2 else { return nil }
        return out
    }

    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
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

    private static func value(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(c - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(c - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
