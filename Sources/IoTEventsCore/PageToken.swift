/// The opaque `nextToken` of every list operation.
///
/// A token is a cursor, not a position: it names the last item returned and the list it came
/// from, so it stays valid while items come and go (the next page starts after that name, even if
/// it was deleted). It is hex text with a checksum, so a damaged or foreign token is rejected
/// rather than silently restarting the listing.
package enum PageToken {
    /// The token that resumes listing `scope` after `name`.
    package static func encode(scope: String, after name: String) -> String {
        var bytes = Array(scope.utf8)
        bytes.append(0)
        bytes.append(contentsOf: name.utf8)
        var text = "1"
        appendHex(checksum(bytes), width: 8, to: &text)
        for byte in bytes { appendHex(UInt32(byte), width: 2, to: &text) }
        return text
    }

    /// The name to resume after, or nil when `token` was not issued for `scope`.
    package static func decode(_ token: String, scope: String) -> String? {
        let text = Array(token.utf8)
        guard text.count >= 9, text.count % 2 == 1, text[0] == UInt8(ascii: "1") else { return nil }
        guard let sum = hexValue(text[1..<9]) else { return nil }
        var bytes: [UInt8] = []
        var i = 9
        while i < text.count {
            guard let byte = hexValue(text[i..<(i + 2)]) else { return nil }
            bytes.append(UInt8(byte))
            i += 2
        }
        guard checksum(bytes) == sum, let zero = bytes.firstIndex(of: 0) else { return nil }
        guard bytes[..<zero].elementsEqual(scope.utf8) else { return nil }
        return String(decoding: bytes[(zero + 1)...], as: UTF8.self)
    }

    /// FNV-1a, 32 bits: enough to catch damaged or hand-made tokens.
    private static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func appendHex(_ value: UInt32, width: Int, to text: inout String) {
        var chars: [UInt8] = []
        var shift = (width - 1) * 4
        while shift >= 0 {
            chars.append(digits[Int((value >> UInt32(shift)) & 0xF)])
            shift -= 4
        }
        text += String(decoding: chars, as: UTF8.self)
    }

    private static func hexValue(_ chars: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        for c in chars {
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
