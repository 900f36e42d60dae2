/// Whether JSON text nests deeper than a limit, decided on the text before jansson parses it, so
/// that hostile input costs one pass and never deep recursion.
///
/// Every request and every base64 payload goes through here. Nesting can never be deeper than
/// the number of `{` and `[` bytes, and a request rarely holds more than the limit (64 by
/// default; a batch is at most 10 messages): counting them is one branch-free pass the compiler
/// vectorises. Only when the count is over the limit is the text walked level by level, strings
/// skipped, to find the real depth.
enum JSONDepth {
    static func exceeds(_ bytes: UnsafePointer<UInt8>, count: Int, limit: Int) -> Bool {
        // Text no longer than the limit cannot hold more openings than it (most payloads).
        count > limit && openings(bytes, count: count) > limit && deepest(bytes, count: count, limit: limit) > limit
    }

    /// How many bytes are `{` or `[` (`[` is 0x5B, `{` 0x7B: the only two bytes that are 0x7B
    /// once bit 0x20 is set). Sixteen bytes at a time as a SIMD vector, written out because the
    /// small profile's -Osize does not vectorise loops (it spent eight instructions a byte of
    /// every request). Each lane counts into a byte for 15 blocks; the rest byte by byte.
    static func openings(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int {
        var total = 0
        var i = 0
        let raw = UnsafeRawPointer(bytes)
        let bit = SIMD16<UInt8>(repeating: 0x20), brace = SIMD16<UInt8>(repeating: 0x7B)
        let vectors = count & ~15 // the bytes whole vectors cover
        while i < vectors {
            var lanes = SIMD16<UInt8>()
            let blockEnd = min(vectors, i &+ 15 &* 16)
            while i < blockEnd {
                let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                lanes &+= SIMD16<UInt8>(repeating: 0).replacing(with: 1, where: (v | bit) .== brace)
                i &+= 16
            }
            // The lanes' sum, eight at a time by one multiplication (wrappedSum() went lane by
            // lane): each lane is at most 15, so eight of them fit the top byte.
            let (low, high) = unsafeBitCast(lanes, to: (UInt64, UInt64).self)
            total &+= Int((low &* 0x0101_0101_0101_0101) >> 56) &+ Int((high &* 0x0101_0101_0101_0101) >> 56)
        }
        while i < count {
            total &+= (bytes[i] | 0x20) == 0x7B ? 1 : 0
            i &+= 1
        }
        return total
    }

    /// The deepest nesting outside strings, or the first level past `limit` (the walk stops there).
    private static func deepest(_ bytes: UnsafePointer<UInt8>, count: Int, limit: Int) -> Int {
        var level = 0
        var deepest = 0
        var i = 0
        while i < count {
            switch bytes[i] {
            case 0x22: // " — the string's body runs to the next unescaped quote
                i += 1
                while i < count, bytes[i] != 0x22 { i += bytes[i] == 0x5C ? 2 : 1 }
            case 0x7B, 0x5B: // { [
                level += 1
                if level > deepest {
                    deepest = level
                    if deepest > limit { return deepest }
                }
            case 0x7D, 0x5D: level -= 1 // } ]
            default: break
            }
            i += 1
        }
        return deepest
    }
}
