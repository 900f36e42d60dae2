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
}
