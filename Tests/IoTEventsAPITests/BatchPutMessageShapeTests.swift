import Testing
@testable import IoTEventsAPI
import IoTEventsCore

/// The quick BatchPutMessage shape check may only accept what the generic walk of the service
/// model accepts (it never names a violation itself), and must accept the requests SDKs send, or
/// the fast path is silently lost.
@Suite struct BatchPutMessageShapeTests {
    /// (quick check's verdict, the walk's error message or nil when valid).
    func verdicts(_ request: String) -> (quick: Bool, walk: String?) {
        let bytes = Array(request.utf8CString)
        do throws(ServiceError) {
            let doc = try bytes.withUnsafeBufferPointer { (b) throws(ServiceError) -> JSONDocument in
                try JSONDocument.parse(b.baseAddress!, length: request.utf8.count, maxDepth: 64, what: "The request")
            }
            let quick = BatchPutMessageShape.accepts(doc.root)
            do throws(ServiceError) {
                try SchemaValidator.walk(doc.root, shape: Operation.batchPutMessage.requestShape)
                return (quick, nil)
            } catch {
                return (quick, error.message)
            }
        } catch {
            Issue.record("unparsable test request: \(request)")
            return (false, nil)
        }
    }

    static func request(_ members: String) -> String { #"{"messages":[{"# + members + "}]}" }
    static let id = #""messageId":"m-1""#, input = #""inputName":"In_1.x-y""#, payload = #""payload":"e30=""#

    /// What SDKs send: the quick check must take these itself.
    static let plain: [String] = [
        request([id, input, payload].joined(separator: ",")),
        request([payload, input, id].joined(separator: ",")),
        request([id, input, #""payload":{"a":[1,{"b":null}]}"#].joined(separator: ",")),
        request([id, input, payload, #""timestamp":{"timeInMillis":1700000000000}"#].joined(separator: ",")),
        request([id, input, payload, #""timestamp":{}"#].joined(separator: ",")),
        request([#""messageId":"\#(String(repeating: "a", count: 64))""#, #""inputName":"\#(String(repeating: "B", count: 128))""#, payload].joined(separator: ",")),
        #"{"messages":["# + (0..<10).map { #"{"messageId":"\#($0)","inputName":"i","payload":"e30="}"# }.joined(separator: ",") + "]}",
    ]

    /// Anything else: the quick check may decline (the walk then decides), never accept wrongly.
    static let other: [String] = [
        "{}", #"{"messages":null}"#, #"{"messages":[]}"#, #"{"messages":{}}"#, #"{"messages":[null]}"#, #"{"messages":[1]}"#,
        #"{"messages":[],"x":1}"#, #"{"x":null,"messages":[{"messageId":"a","inputName":"b","payload":"e30="}]}"#,
        request([input, payload].joined(separator: ",")),
        request([id, payload].joined(separator: ",")),
        request([id, input].joined(separator: ",")),
        request([id, input, payload, #""extra":1"#].joined(separator: ",")),
        request([id, input, payload, #""timestamp":null"#].joined(separator: ",")),
        request([id, input, #""payload":null"#].joined(separator: ",")),
        request([id, input, #""payload":5"#].joined(separator: ",")),
        request([id, input, #""payload":[1]"#].joined(separator: ",")),
        request([id, input, #""payload":true"#].joined(separator: ",")),
        request([#""messageId":"""#, input, payload].joined(separator: ",")),
        request([#""messageId":"\#(String(repeating: "a", count: 65))""#, input, payload].joined(separator: ",")),
        request([#""messageId":"a b""#, input, payload].joined(separator: ",")),
        request([#""messageId":"é""#, input, payload].joined(separator: ",")),
        request([#""messageId":5"#, input, payload].joined(separator: ",")),
        request([#""messageId":null"#, input, payload].joined(separator: ",")),
        request([id, #""inputName":"""#, payload].joined(separator: ",")),
        request([id, #""inputName":"\#(String(repeating: "B", count: 129))""#, payload].joined(separator: ",")),
        request([id, #""inputName":"_x""#, payload].joined(separator: ",")),
        request([id, #""inputName":"x:y""#, payload].joined(separator: ",")),
        request([id, input, payload, #""timestamp":{"timeInMillis":0}"#].joined(separator: ",")),
        request([id, input, payload, #""timestamp":{"timeInMillis":-5}"#].joined(separator: ",")),
        request([id, input, payload, #""timestamp":{"timeInMillis":1.5}"#].joined(separator: ",")),
        request([id, input, payload, #""timestamp":{"timeInMillis":"1"}"#].joined(separator: ",")),
        request([id, input, payload, #""timestamp":{"timeInMillis":null}"#].joined(separator: ",")),
        request([id, input, payload, #""timestamp":{"timeInMillis":1,"x":2}"#].joined(separator: ",")),
        request([id, input, payload, #""timestamp":5"#].joined(separator: ",")),
        #"{"messages":[{"messageId":"a","inputName":"b","payload":"e30="},{"messageId":"","inputName":"b","payload":"e30="}]}"#,
    ]

    @Test(arguments: plain) func takesWhatSDKsSend(_ request: String) {
        let v = verdicts(request)
        #expect(v.walk == nil)
        #expect(v.quick)
    }

    @Test(arguments: plain + other) func acceptsOnlyWhatTheWalkAccepts(_ request: String) {
        let v = verdicts(request)
        if v.quick { #expect(v.walk == nil, "quick accepted what the walk refuses: \(v.walk ?? "")") }
    }

    /// The cases above are worth something only if `other` is violations: all but the three whose
    /// only oddity is a `null` member (absent, for the walk), which the quick check declines.
    @Test func otherCasesAreViolations() {
        let valid = BatchPutMessageShapeTests.other.filter { verdicts($0).walk == nil }
        #expect(valid.count == 3 && valid.allSatisfy { $0.contains("null") && !verdicts($0).quick })
    }

    @Test func theSchemaIsTheShapeTheCheckKnows() {
        #expect(BatchPutMessageShape.known != nil)
    }
}
