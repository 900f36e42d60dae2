import CJanssonShim
import CLibcShim
import IoTEventsCore

/// An executed action as the JSON document the host's action handler receives
/// (`include/iotevents.h`, "Actions", `iotevents_action_fn`).
///
/// Written straight into text, one pass, byte for byte what jansson's compact dump of the same
/// tree gives (member order as set, absent optionals left out, jansson's string escapes; a
/// Decimal is formatted by jansson itself). Building the tree and dumping it cost three times as
/// much, on every action of every message.
enum ActionDocument {
    static func text(_ record: ActionRecord) -> String {
        var w = DocumentText()
        w.open("{")
        w.key("type")
        w.string(record.isAlarmNotification ? "alarmNotification" : record.kind.rawValue)
        w.key("action")
        w.open("{")
        for (i, p) in record.parameters.enumerated() where !isReplaced(record.parameters, i) {
            w.member(p.name, p.value, firstOf: record.parameters)
        }
        w.close("}")
        w.key("payload")
        w.string(record.payload)
        w.key("payloadType")
        w.string(record.payloadType.rawValue)
        w.key("source")
        w.open("{")
        switch record.source.modelKind {
        case .detectorModel:
            w.key("detectorModelName")
            w.string(record.source.modelName)
            w.key("detectorModelVersion")
            w.string(record.source.modelVersion)
        case .alarmModel:
            w.key("alarmModelName")
            w.string(record.source.modelName)
            w.key("alarmModelVersion")
            w.string(record.source.modelVersion)
        }
        if let key = record.source.keyValue { w.key("keyValue"); w.string(key) }
        w.key("stateName")
        w.string(record.source.stateName)
        if let event = record.source.eventName { w.key("eventName"); w.string(event) }
        w.close("}")
        w.key("eventTime")
        w.integer(record.eventTime)
        if let error = record.error { w.key("error"); w.string(error) }
        w.close("}")
        return w.finish()
    }

    /// A member set twice keeps its first place and its last value, as in a jansson object.
    static func isReplaced(_ parameters: [EvaluatedParameter], _ index: Int) -> Bool {
        for j in 0..<index where parameters[j].name == parameters[index].name { return true }
        return false
    }
}

/// Compact JSON text, as jansson's `json_dumps(JSON_COMPACT)` writes it.
private struct DocumentText {
    private var bytes: [UInt8] = []
    private var needsComma = false

    init() { bytes.reserveCapacity(512) }

    mutating func finish() -> String { String(decoding: bytes, as: UTF8.self) }

    mutating func open(_ bracket: StaticString) { separate(); append(bracket); needsComma = false }
    mutating func close(_ bracket: StaticString) { append(bracket); needsComma = true }

    mutating func key(_ name: String) {
        separate()
        quoted(name)
        bytes.append(0x3A) // :
        needsComma = false
    }

    mutating func string(_ s: String) { separate(); quoted(s); needsComma = true }
    mutating func integer(_ n: Int64) { separate(); bytes.append(contentsOf: n.description.utf8); needsComma = true }

    /// `name: value`, unless jansson would have left the member out (a Decimal it cannot hold).
    mutating func member(_ name: String, _ value: EvaluatedParameter.Value, firstOf all: [EvaluatedParameter]) {
        var last = value
        for p in all where p.name == name { last = p.value }
        guard Self.representable(last) else { return }
        key(name)
        self.value(last)
    }

    private mutating func value(_ v: EvaluatedParameter.Value) {
        switch v {
        case .literal(let literal): parameter(literal)
        case .value(let value): expression(value)
        case .object(let members):
            open("{")
            for (i, m) in members.enumerated() where !ActionDocument.isReplaced(members, i) {
                member(m.name, m.value, firstOf: members)
            }
            close("}")
        }
    }

    private mutating func parameter(_ v: ActionParameterValue) {
        switch v {
        case .text(let s): string(s)
        case .integer(let n): integer(n)
        case .boolean(let b): separate(); append(b ? "true" : "false"); needsComma = true
        case .object(let members):
            open("{")
            for (i, m) in members.enumerated() where !Self.isReplaced(members, i) {
                var last = m.value
                for p in members where p.name == m.name { last = p.value }
                key(m.name)
                parameter(last)
            }
            close("}")
        case .array(let values):
            open("[")
            for e in values { parameter(e) }
            close("]")
        }
    }

    private static func isReplaced(_ members: [ActionParameter], _ index: Int) -> Bool {
        for j in 0..<index where members[j].name == members[index].name { return true }
        return false
    }

    private mutating func expression(_ v: ExpressionValue) {
        switch v {
        case .string(let s): string(s)
        case .integer(let n): integer(n)
        case .decimal(let d): separate(); bytes.append(contentsOf: Self.real(d).utf8); needsComma = true
        case .boolean(let b): separate(); append(b ? "true" : "false"); needsComma = true
        case .null, .undefined: separate(); append("null"); needsComma = true
        }
    }

    /// jansson refuses NaN and infinities (`json_real` gives NULL), so the tree had no member.
    private static func representable(_ v: EvaluatedParameter.Value) -> Bool {
        if case .value(.decimal(let d)) = v { return d.isFinite }
        return true
    }

    /// A real as jansson writes it (its precision and its "1.0", "1e20" spellings): by jansson.
    private static func real(_ d: Double) -> String {
        guard let raw = json_real(d) else { return "null" }
        defer { ie_json_decref(raw) }
        guard let text = json_dumps(raw, ie_json_dump_flags(15) | ie_json_encode_any_flag()) else { return "null" }
        defer { free(text) }
        return String(cString: text)
    }

    private mutating func separate() {
        if needsComma { bytes.append(0x2C) }
    }

    private mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// jansson's escapes: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other controls as `\u00XX`
    /// (upper-case hex); everything else, '/' and non-ASCII included, as it is.
    private mutating func quoted(_ s: String) {
        bytes.append(0x22)
        for byte in s.utf8 {
            switch byte {
            case 0x22, 0x5C: bytes.append(0x5C); bytes.append(byte)
            case 0x08: bytes.append(0x5C); bytes.append(0x62) // b
            case 0x0C: bytes.append(0x5C); bytes.append(0x66) // f
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E) // n
            case 0x0D: bytes.append(0x5C); bytes.append(0x72) // r
            case 0x09: bytes.append(0x5C); bytes.append(0x74) // t
            case 0..<0x20:
                bytes.append(0x5C)
                bytes.append(0x75) // u
                bytes.append(0x30)
                bytes.append(0x30)
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }
}
