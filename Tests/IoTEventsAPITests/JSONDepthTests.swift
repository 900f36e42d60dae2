import Testing
@testable import IoTEventsAPI

/// JSONDepth decides depth by counting `{` and `[` and walks the text only when the count is over
/// the limit: both answers must be the true depth's.
@Suite struct JSONDepthTests {
    func exceeds(_ text: String, _ limit: Int) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { JSONDepth.exceeds($0.baseAddress!, count: $0.count, limit: limit) }
    }

    func nested(_ levels: Int) -> String { String(repeating: "[", count: levels) + String(repeating: "]", count: levels) }

    @Test func fewOpeningsNeedNoWalk() {
        #expect(!exceeds(nested(64), 64))
        #expect(exceeds(nested(65), 64))
        #expect(!exceeds("{}", 1))
        #expect(exceeds(#"{"a":{}}"#, 1))
    }

    /// More openings than the limit, but side by side or inside strings: not deeper.
    @Test func manyOpeningsAreWalked() {
        let wide = "[" + Array(repeating: #"{"a":[1]}"#, count: 300).joined(separator: ",") + "]"
        #expect(!exceeds(wide, 3))
        #expect(exceeds(wide, 2))
        let inStrings = #"{"s":"[[[[{{{{","e":"\"[[[[\\","t":["\\\"{{{{"]}"#
        #expect(!exceeds(inStrings, 2))
        #expect(exceeds(inStrings, 1))
    }

    /// Block boundaries of the count (240 bytes) and the text's end.
    @Test func everyLengthCounts() {
        for pad in [0, 1, 15, 16, 17, 239, 240, 241, 480, 1000] {
            let text = String(repeating: " ", count: pad) + nested(5) + String(repeating: " ", count: pad)
            #expect(!exceeds(text, 5), "pad \(pad)")
            #expect(exceeds(text, 4), "pad \(pad)")
        }
        #expect(!exceeds("", 2))
        #expect(exceeds(String(repeating: "[", count: 3), 2)) // unterminated: jansson reports it
    }

    /// The count itself, against counting byte by byte: every length across the 16-byte vectors
    /// and the 240-byte blocks, brackets everywhere (each lane at its 15-per-block most), none,
    /// and scattered ones with the bytes that differ from `{` only in bit 0x20 or by one.
    @Test func openingsCountEveryBracket() {
        func naive(_ b: [UInt8]) -> Int { b.filter { $0 == 0x7B || $0 == 0x5B }.count }
        func counted(_ b: [UInt8]) -> Int { b.withUnsafeBufferPointer { JSONDepth.openings($0.baseAddress!, count: $0.count) } }
        var seed: UInt64 = 42
        func next() -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return seed >> 33 }
        let alphabet: [UInt8] = Array(#"{[}]"a 0\;zZ"#.utf8) + [0x7A, 0x7C, 0x5A, 0xDB, 0xFB, 0x00]
        for length in 0...520 {
            let all = [UInt8](repeating: 0x7B, count: length)
            #expect(counted(all) == length, "all brackets, \(length)")
            #expect(counted([UInt8](repeating: 0x20, count: length)) == 0)
            let mixed = (0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            #expect(counted(mixed) == naive(mixed), "mixed, \(length)")
        }
    }
}
