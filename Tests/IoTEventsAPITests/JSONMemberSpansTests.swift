import Testing
@testable import IoTEventsAPI

/// The spans are what a caller sent: whitespace, number spellings and escapes as written.
@Suite struct JSONMemberSpansTests {
    func spans(_ text: String) -> [String?] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            JSONMemberSpans.of(buffer, array: "messages", member: "payload").map { range in
                range.map { String(decoding: bytes[$0], as: UTF8.self) }
            }
        }
    }

    @Test func findsEachElementsMember() {
        let text = #"{"x":{"messages":[1]},"messages":[{"messageId":"a","payload":{"v":0.1, "w" : [1,{"payload":2}]}},{"payload":"eyJ2IjoxfQ=="},{"inputName":"In"}, 7 ,{"payload" : {} }],"after":{"payload":1}}"#
        #expect(spans(text) == [#"{"v":0.1, "w" : [1,{"payload":2}]}"#, #""eyJ2IjoxfQ==""#, nil, nil, "{}"])
    }

    @Test func stringsWithBracketsAndEscapesDoNotConfuseIt() {
        let text = "{ \"messages\" : [ { \"payload\" : { \"s\" : \"}]\\\"{[\" , \"n\" : -1.5e3 } , \"messageId\" : \"m\" } ] }"
        #expect(spans(text) == [#"{ "s" : "}]\"{[" , "n" : -1.5e3 }"#])
    }

    @Test func noSuchArray() {
        #expect(spans(#"{"other":[]}"#) == [])
        #expect(spans(#"[1,2]"#) == [])
        #expect(spans(#"{"messages":"no"}"#) == [])
        #expect(spans(#"{"messages":[]}"#) == [])
    }

    /// An escaped key is not recognised (the caller measures the parsed value instead).
    @Test func escapedKeysAreNotMatched() {
        #expect(spans(#"{"messages":[{"p\u0061yload":{}}]}"#) == [nil])
    }
}
