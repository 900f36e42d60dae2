import Testing
@testable import IoTEventsAPI
import IoTEventsCore

@Suite struct MessagePayloadTests {
    /// Decodes the `payload` member of `{"payload": <member>}`.
    func decode(_ member: String, maxBytes: Int = 1024) -> (MessagePayload?, Int, MessagePayload.Failure?) {
        let text = #"{"payload":"# + member + "}"
        let bytes = Array(text.utf8CString)
        do throws(ServiceError) {
            let doc = try bytes.withUnsafeBufferPointer { (b) throws(ServiceError) -> JSONDocument in
                try JSONDocument.parse(b.baseAddress!, length: text.utf8.count, maxDepth: 64, what: "t")
            }
            let r = MessagePayload.decode(doc.root["payload"]!, sentBytes: nil, maxBytes: maxBytes, maxDepth: 64)
            return (r.payload, r.bytes, r.failure)
        } catch {
            Issue.record("test JSON did not parse: \(error.message)")
            return (nil, 0, nil)
        }
    }

    func quoted(_ plain: String) -> String { "\"" + Base64.encode(Array(plain.utf8)) + "\"" }

    @Test func base64AndObjectFormsGiveTheSameDocument() {
        let (a, sizeA, _) = decode(quoted(#"{"unit":"P7","meta":{"fw-version":"2.1"}}"#))
        let (b, _, _) = decode(#"{"unit":"P7","meta":{"fw-version":"2.1"}}"#)
        #expect(sizeA == 41)
        for payload in [a, b] {
            #expect(payload?.value(at: AttributePath("meta.`fw-version`"))?.string == "2.1")
            #expect(payload?.value(at: AttributePath("meta.missing")) == nil)
        }
    }

    @Test func failures() {
        #expect(decode(quoted("[1,2]")).2 == .malformed("payload must be a JSON object"))
        #expect(decode(quoted("not json")).2 == .malformed("payload must be a JSON object; it is not valid JSON: '[' or '{' expected near 'not' (line 1, column 3)"))
        #expect(decode("\"@@@@\"").2 == .malformed("payload is not valid base64"))
        #expect(decode(quoted("")).2 == .malformed("payload is empty"))
        #expect(decode(quoted(#"{"a":""# + String(repeating: "x", count: 2000) + #""}"#)).2 == .tooLarge(2008))
        #expect(decode(#"{"a":"xxxxxxxxxx"}"#, maxBytes: 10).2 == .tooLarge(18))
        #expect(decode(quoted(String(repeating: "[", count: 100))).2 == .malformed("payload nests deeper than 64 levels (limit maxJsonDepth)"))
        #expect(decode(quoted("{\"a\":\"x\u{0}y\"}")).2 == .malformed("payload must be a JSON object; its decoded bytes hold a NUL byte at offset 7"))
        #expect(decode(quoted("{\"a\":1}\u{0}")).2 == .malformed("payload must be a JSON object; its decoded bytes hold a NUL byte at offset 7"))
    }

    /// jansson refuses `\u0000` by itself; the text is parsed again to name the member.
    @Test func escapedNulNamesTheMember() {
        #expect(decode(quoted(#"{"a":{"b":["ok","x\u0000"]}}"#)).2 == .malformed(#"payload: Value at 'a.b[1]' contains \u0000 (U+0000), which is not accepted"#))
        #expect(decode(quoted(#"{"n":1e400,"a":"\u0000"}"#)).2 == .malformed("payload: Value at 'n' is a number outside the range of a 64-bit float"))
        #expect(decode(quoted(#"{"a":"\u0000","n":18446744073709551616}"#)).2 == .malformed(#"payload: Value at 'a' contains \u0000 (U+0000), which is not accepted"#))
        #expect(decode(quoted(#"{"a":"\u0000","a":1}"#)).2 == .malformed("payload must be a JSON object; it is not valid JSON: duplicate object key near '\"a\"' (line 1, column 17)"))
    }

    @Test func requestNulNamesTheMember() {
        let text = #"{"messages":[{"payload":{"a":"x\u0000"}}]}"#
        let bytes = Array(text.utf8CString)
        do throws(ServiceError) {
            _ = try bytes.withUnsafeBufferPointer { (b) throws(ServiceError) -> JSONDocument in
                try JSONDocument.parse(b.baseAddress!, length: text.utf8.count, maxDepth: 64, what: "t")
            }
            Issue.record("parsed")
        } catch {
            #expect(error.message == #"Value at 'messages[0].payload.a' contains \u0000 (U+0000), which is not accepted"#)
        }
    }

    @Test func keys() {
        let (p, _, _) = decode(#"{"id":"P-7:a_b","n":42,"f":1.5,"bad":"a/b","nul":null,"deep":{"k":"x"},"long":""# + String(repeating: "k", count: 129) + #""}"#)
        guard let p else { Issue.record("no payload"); return }
        #expect(p.keyValue(at: AttributePath("id")).key == "P-7:a_b")
        #expect(p.keyValue(at: AttributePath("n")).key == "42")
        #expect(p.keyValue(at: AttributePath("deep.k")).key == "x")
        #expect(p.keyValue(at: AttributePath("f")).problem == "the key f must be a string or an integer")
        #expect(p.keyValue(at: AttributePath("bad")).key == nil)
        #expect(p.keyValue(at: AttributePath("long")).key == nil)
        #expect(p.keyValue(at: AttributePath("nul")).problem == "the key nul is null in the payload")
        #expect(p.keyValue(at: AttributePath("absent")).problem == "the key absent is missing from the payload")
    }
}
