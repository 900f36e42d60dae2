import Testing
@testable import IoTEventsCore

/// JSONWriter writes integers digit by digit and copies strings whole unless a byte needs an
/// escape (counted in blocks of 240 bytes): both must give jansson's compact text.
@Suite struct JSONWriterTests {
    func written(_ body: (inout JSONWriter) -> Void) -> String {
        var w = JSONWriter()
        body(&w)
        return w.text
    }

    @Test func integers() {
        let values: [Int64] = [0, 7, -7, 10, -10, 1234567890, Int64.max, Int64.min]
        let text = written { w in
            w.beginArray()
            for v in values { w.value(v) }
            w.endArray()
        }
        #expect(text == "[0,7,-7,10,-10,1234567890,9223372036854775807,-9223372036854775808]")
    }

    @Test func stringsWithAndWithoutEscapes() {
        let long = String(repeating: "a", count: 239)
        let cases: [(String, String)] = [
            ("", #""""#), ("plain", #""plain""#), ("grüße 温度", #""grüße 温度""#),
            ("a\"b\\c", #""a\"b\\c""#), ("\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}", #""\u0001\b\t\n\f\r\u001F""#),
            (long + "\"", "\"" + long + "\\\"\""), (long + "x\"", "\"" + long + "x\\\"\""),
            (String(repeating: long + "\n", count: 3), "\"" + String(repeating: long + "\\n", count: 3) + "\""),
        ]
        for (plain, json) in cases {
            #expect(written { $0.value(plain) } == json)
            #expect(written { w in w.beginObject(); w.key(text: plain); w.value(Int64(1)); w.endObject() } == "{" + json + ":1}")
        }
    }
}
