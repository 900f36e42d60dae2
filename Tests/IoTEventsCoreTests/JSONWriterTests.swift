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

    /// jansson's escape of one byte, spelled out here independently of the writer.
    static func escapedByte(_ b: UInt8) -> String {
        switch b {
        case 0x22: return "\\\""
        case 0x5C: return "\\\\"
        case 0x08: return "\\b"
        case 0x0C: return "\\f"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0..<0x20:
            let hex = Array("0123456789ABCDEF")
            return "\\u00" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 0xF)])
        default: return String(UnicodeScalar(b))
        }
    }

    /// Every byte that needs an escape, before every character of a string of plain ASCII and
    /// multi-byte characters, and two of them side by side: the escape is written where the byte
    /// was, and the bytes around it are copied unchanged.
    @Test func everyEscapeAtEveryPosition() {
        let plain = Array("ab/é温c d😀e\u{7F}f".utf8)
        let escapable = (UInt8(0)..<0x20).map { $0 } + [0x22, 0x5C]
        for b in escapable {
            for position in 0...plain.count where position == plain.count || plain[position] & 0xC0 != 0x80 {
                for width in 1...2 {
                    var bytes = plain
                    bytes.insert(contentsOf: repeatElement(b, count: width), at: position)
                    let s = String(decoding: bytes, as: UTF8.self)
                    let expected = "\"" + String(decoding: plain[..<position], as: UTF8.self)
                        + String(repeating: Self.escapedByte(b), count: width)
                        + String(decoding: plain[position...], as: UTF8.self) + "\""
                    #expect(written { $0.value(s) } == expected, "byte \(b) at \(position)")
                }
            }
        }
    }

    /// Strings of every length across the writer's 8-byte words and 64-byte blocks, plain and with
    /// an escape in place of each ASCII character: the words before it, the one it falls in and the
    /// bytes after the last whole word are each written once, in order.
    @Test func escapesAcrossWordsAndBlocks() {
        let characters = ["a", "é", "/", "\u{7F}", "温", "Z"] // words and blocks cut through characters
        for length in 0...140 {
            var text = "", i = 0
            while text.utf8.count < length {
                let c = characters[i % characters.count]
                text += text.utf8.count + c.utf8.count <= length ? c : "a"
                i += 1
            }
            let plain = Array(text.utf8)
            #expect(written { $0.value(text) } == "\"" + text + "\"")
            for position in plain.indices where plain[position] < 0x80 {
                for b: UInt8 in [0x22, 0x5C, 0x0A, 0x1F] {
                    var bytes = plain
                    bytes[position] = b
                    let expected = "\"" + String(decoding: plain[..<position], as: UTF8.self) + Self.escapedByte(b)
                        + String(decoding: plain[(position + 1)...], as: UTF8.self) + "\""
                    #expect(written { $0.value(String(decoding: bytes, as: UTF8.self)) } == expected,
                            "length \(plain.count), byte \(b) at \(position)")
                }
            }
        }
    }

    /// Strings whose escaped text runs past the writer's buffer (512 bytes, then doubled), from
    /// every offset around its end: the room for the whole string is made before it is written.
    @Test func escapedStringsAcrossGrowth() {
        let controls = String(decoding: (0..<200).map { UInt8($0 % 0x20) }, as: UTF8.self)
        let controlsJSON = controls.utf8.map { Self.escapedByte($0) }.joined()
        for lead in 480..<520 {
            let pad = String(repeating: "x", count: lead)
            for s in ["\"\"", String(repeating: "\u{1}", count: 30), controls] {
                let json = s.utf8.map { Self.escapedByte($0) }.joined()
                #expect(written { w in w.beginArray(); w.value(pad); w.value(s); w.value(s); w.endArray() }
                        == "[\"" + pad + "\",\"" + json + "\",\"" + json + "\"]")
            }
        }
        #expect(written { $0.value(String(repeating: controls, count: 10)) } == "\"" + String(repeating: controlsJSON, count: 10) + "\"")
    }
}
