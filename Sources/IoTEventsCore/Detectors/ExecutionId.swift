/// `actionExecutionId` values (§4.5): UUID-shaped, version 3 like AWS's, derived from what the
/// execution is (model, key, event, time) and an engine-wide sequence number. Deterministic, so a
/// scripted run produces the same ids every time; unique within an engine because of the sequence.
enum ExecutionId {
    static func make(_ parts: [String], time: Millis, sequence: UInt64) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 { a = (a ^ UInt64(byte)) &* 0x100_0000_01b3 }
            a = (a ^ 0xff) &* 0x100_0000_01b3
        }
        let high = mix(a ^ UInt64(bitPattern: time))
        let low = mix(high ^ sequence &+ 0x9e37_79b9_7f4a_7c15)
        // Version 3 in the high nibble of the third group, RFC 4122 variant in the fourth.
        let h = (high & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_3000
        let l = (low & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000
        var out: [UInt8] = []
        out.reserveCapacity(36)
        hex(h >> 32, 8, &out); out.append(UInt8(ascii: "-"))
        hex(h >> 16, 4, &out); out.append(UInt8(ascii: "-"))
        hex(h, 4, &out); out.append(UInt8(ascii: "-"))
        hex(l >> 48, 4, &out); out.append(UInt8(ascii: "-"))
        hex(l, 12, &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// SplitMix64's finaliser.
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func hex(_ value: UInt64, _ width: Int, _ out: inout [UInt8]) {
        var shift = (width - 1) * 4
        while shift >= 0 {
            out.append(digits[Int((value >> UInt64(shift)) & 0xF)])
            shift -= 4
        }
    }
}
