/// One pass over JSON text before jansson parses it: how deeply it nests, whether a string holds
/// the escape `\u0000`, and where the first raw NUL byte is.
///
/// Depth is checked on the text so that hostile input costs one pass and never deep recursion;
/// the scan stops once `depthLimit` is passed. The other two findings decide whether the parsed
/// tree needs walking for `NulCharacters` and let a payload's error name a raw NUL's offset.
///
/// Every request and every base64 payload goes through here, so string bodies (base64 text is
/// most of a request) are skipped eight bytes at a time: a word with no `"`, `\` or NUL byte
/// cannot end the string or need a look.
struct JSONTextScan {
    /// The deepest nesting seen; once it exceeds the limit the scan stopped there.
    var depth = 0
    /// A string holds `\u0000`.
    var escapedNul = false
    /// Offset of the first NUL byte in the text.
    var rawNul: Int? = nil

    init(_ bytes: UnsafePointer<UInt8>, count: Int, depthLimit: Int) {
        var level = 0
        var i = 0
        while i < count {
            let b = bytes[i]
            switch b {
            case 0x22: // " — the string's body runs to the next unescaped quote
                i = skipString(bytes, from: i + 1, count: count)
                continue
            case 0x7B, 0x5B: // { [
                level += 1
                if level > depth {
                    depth = level
                    if depth > depthLimit { return }
                }
            case 0x7D, 0x5D: level -= 1 // } ]
            case 0: if rawNul == nil { rawNul = i }
            default: break
            }
            i += 1
        }
    }

    /// From the first byte of a string's body, the offset just past its closing quote (or `count`).
    private mutating func skipString(_ bytes: UnsafePointer<UInt8>, from start: Int, count: Int) -> Int {
        var i = start
        while true {
            while i + 8 <= count {
                let word = UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self)
                if JSONTextScan.holdsByte(word, 0x22) || JSONTextScan.holdsByte(word, 0x5C) || JSONTextScan.holdsByte(word, 0) { break }
                i += 8
            }
            guard i < count else { return count }
            switch bytes[i] {
            case 0x22: return i + 1
            case 0x5C:
                if i + 5 < count, bytes[i + 1] == 0x75 /* u */, bytes[i + 2] == 0x30, bytes[i + 3] == 0x30,
                   bytes[i + 4] == 0x30, bytes[i + 5] == 0x30 {
                    escapedNul = true
                }
                i += 2 // the escaped character cannot end the string
            case 0:
                if rawNul == nil { rawNul = i }
                i += 1
            default: i += 1
            }
        }
    }

    /// Whether any byte of `word` equals `byte` (the classic "has zero byte" test on word ^ pattern;
    /// exact as a yes/no answer).
    @inline(__always)
    private static func holdsByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
    }
}
