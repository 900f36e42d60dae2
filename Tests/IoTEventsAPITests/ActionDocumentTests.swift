import CJanssonShim
import Glibc
import Testing
@testable import IoTEventsAPI
@testable import IoTEventsCore

/// ActionDocument writes its text with JSONWriter; it must be byte for byte what the jansson tree of
/// the same document dumps (what hosts received before).
@Suite struct ActionDocumentTests {
    static let strings = ["plain", "a\"b\\c", "\u{8}\u{C}\n\r\t", "\u{1}\u{1F}\u{7F}", "a/b", "grüße 温度 😀", "nul\u{0}in", ""]
    static let decimals: [Double] = [0, 1, -2.25, 1e20, 1e300, 5e-324, 0.1, 123456789.123456789, 1700000123.456, .nan, .infinity]

    static func record(_ parameters: [EvaluatedParameter], payload: String, key: String?, event: String?, error: String?,
                       alarm: Bool = false) -> ActionRecord {
        ActionRecord(
            kind: .sns, isAlarmNotification: alarm, parameters: parameters, payload: payload, payloadType: .json,
            source: ActionSource(modelKind: alarm ? .alarmModel : .detectorModel, modelName: "m", modelVersion: "3",
                                 keyValue: key, stateName: "S", eventName: event),
            eventTime: 1_700_000_000_123, error: error)
    }

    /// The document as a jansson tree, dumped: how ActionDocument wrote it before.
    static func reference(_ r: ActionRecord) -> String {
        func value(_ v: EvaluatedParameter.Value) -> UnsafeMutablePointer<json_t>? {
            switch v {
            case .literal(let literal): return DetectorModelEncoder.parameter(literal)
            case .value(.string(let s)): return JSONText.string(s)
            case .value(.integer(let n)): return json_integer(json_int_t(n))
            case .value(.decimal(let d)): return json_real(d)
            case .value(.boolean(let b)): return b ? json_true() : json_false()
            case .value(.null), .value(.undefined): return json_null()
            case .object(let members):
                var o = JSONObject()
                for m in members { o.set(m.name, value(m.value)) }
                return o.take()
            }
        }
        var action = JSONObject()
        for p in r.parameters { action.set(p.name, value(p.value)) }
        var source = JSONObject()
        source.set(r.source.modelKind == .alarmModel ? "alarmModelName" : "detectorModelName", r.source.modelName)
        source.set(r.source.modelKind == .alarmModel ? "alarmModelVersion" : "detectorModelVersion", r.source.modelVersion)
        source.set("keyValue", r.source.keyValue)
        source.set("stateName", r.source.stateName)
        source.set("eventName", r.source.eventName)
        var document = JSONObject()
        document.set("type", r.isAlarmNotification ? "alarmNotification" : r.kind.rawValue)
        document.set("action", object: action)
        document.set("payload", r.payload)
        document.set("payloadType", r.payloadType.rawValue)
        document.set("source", object: source)
        document.set("eventTime", integer: r.eventTime)
        document.set("error", r.error)
        let raw = document.take()!
        defer { ie_json_decref(raw) }
        let text = JSONText.dump(raw)!
        defer { free(text) }
        return String(cString: text)
    }

    @Test(arguments: strings) func stringsEscapeAsJanssonDoes(_ s: String) {
        let r = Self.record([EvaluatedParameter(name: s.isEmpty || s.contains("\u{0}") ? "k" : s, value: .value(.string(s)))],
                            payload: s, key: s, event: s, error: s)
        #expect(ActionDocument.text(r) == Self.reference(r))
    }

    /// Every byte that needs an escape, before every character of a payload and a parameter, as
    /// jansson escapes it (JSONWriter writes an escaped string in one pass through a pointer).
    @Test func everyEscapeAtEveryPositionAsJanssonDoes() {
        let plain = Array("{a:é温 😀\u{7F}}".utf8)
        for b in (UInt8(0)..<0x20).map({ $0 }) + [0x22, 0x5C] {
            for position in 0...plain.count where position == plain.count || plain[position] & 0xC0 != 0x80 {
                var bytes = plain
                bytes.insert(b, at: position)
                let s = String(decoding: bytes, as: UTF8.self)
                let r = Self.record([EvaluatedParameter(name: "p", value: .value(.string(s)))], payload: s, key: "k", event: nil, error: nil)
                #expect(ActionDocument.text(r) == Self.reference(r), "byte \(b) at \(position)")
            }
        }
    }

    @Test(arguments: decimals) func decimalsPrintAsJanssonDoes(_ d: Double) {
        let r = Self.record([EvaluatedParameter(name: "x", value: .value(.decimal(d))), EvaluatedParameter(name: "after", value: .value(.integer(1)))],
                            payload: "{}", key: nil, event: nil, error: nil)
        #expect(ActionDocument.text(r) == Self.reference(r))
    }

    @Test func everyKindOfParameter() {
        let nested: [EvaluatedParameter] = [
            EvaluatedParameter(name: "a", value: .value(.boolean(true))),
            EvaluatedParameter(name: "b", value: .value(.null)),
            EvaluatedParameter(name: "c", value: .value(.undefined)),
            EvaluatedParameter(name: "d", value: .value(.decimal(.nan))),
        ]
        let literal = ActionParameterValue.object([
            ActionParameter(name: "to", value: .array([.text("x\u{8}"), .integer(-5), .boolean(false), .object([])])),
            ActionParameter(name: "n", value: .integer(Int64.min)),
        ])
        let r = Self.record([
            EvaluatedParameter(name: "targetArn", value: .literal(.text("arn:aws:sns:us-east-1:1:t"))),
            EvaluatedParameter(name: "nested", value: .object(nested)),
            EvaluatedParameter(name: "config", value: .literal(literal)),
            EvaluatedParameter(name: "count", value: .value(.integer(7))),
            EvaluatedParameter(name: "empty", value: .object([])),
        ], payload: "p", key: "k", event: nil, error: "not delivered", alarm: true)
        #expect(ActionDocument.text(r) == Self.reference(r))
    }

    /// The handler's C string is the document, whole and terminated, whatever its length: the
    /// lengths run across the writer's first growth (512 bytes), where the NUL needs room of its
    /// own, up and then down, each document written into the buffer of the one before.
    @Test func handlerStringIsTheText() {
        var writer = ActionDocument.Writer()
        for n in Array(300..<700) + (300..<700).reversed() {
            var r = Self.record([EvaluatedParameter(name: "x", value: .value(.integer(1)))],
                                payload: String(repeating: "a", count: n), key: "k", event: nil, error: nil)
            let text = ActionDocument.text(r)
            let (c, length) = writer.withCString(&r) { (String(cString: $0), strlen($0)) }
            #expect(c == text && length == text.utf8.count)
        }
    }
}
