import CJanssonShim
import CLibcShim
import IoTEventsCore

/// An executed action as the JSON document the host's action handler receives
/// (`include/iotevents.h`, "Actions", `iotevents_action_fn`).
enum ActionDocument {
    static func text(_ record: ActionRecord) -> String? {
        var action = JSONObject()
        for p in record.parameters { action.set(p.name, value(p.value)) }
        var source = JSONObject()
        switch record.source.modelKind {
        case .detectorModel:
            source.set("detectorModelName", record.source.modelName)
            source.set("detectorModelVersion", record.source.modelVersion)
        case .alarmModel:
            source.set("alarmModelName", record.source.modelName)
            source.set("alarmModelVersion", record.source.modelVersion)
        }
        source.set("keyValue", record.source.keyValue)
        source.set("stateName", record.source.stateName)
        source.set("eventName", record.source.eventName)
        var document = JSONObject()
        document.set("type", record.isAlarmNotification ? "alarmNotification" : record.kind.rawValue)
        document.set("action", object: action)
        document.set("payload", record.payload)
        document.set("payloadType", record.payloadType.rawValue)
        document.set("source", object: source)
        document.set("eventTime", integer: record.eventTime)
        document.set("error", record.error)
        guard let raw = document.take() else { return nil }
        defer { ie_json_decref(raw) }
        guard let text = JSONText.dump(raw) else { return nil }
        defer { free(text) }
        return String(cString: text)
    }

    private static func value(_ v: EvaluatedParameter.Value) -> UnsafeMutablePointer<json_t>? {
        switch v {
        case .literal(let literal): return DetectorModelEncoder.parameter(literal)
        case .value(let value): return ExpressionJSON.make(value)
        case .object(let members):
            var o = JSONObject()
            for m in members { o.set(m.name, value(m.value)) }
            return o.take()
        }
    }
}

/// Expression values as JSON values: String → string, Integer/Decimal → number, Boolean → boolean.
enum ExpressionJSON {
    static func make(_ v: ExpressionValue) -> UnsafeMutablePointer<json_t>? {
        switch v {
        case .string(let s): return JSONText.string(s)
        case .integer(let n): return json_integer(json_int_t(n))
        case .decimal(let d): return json_real(d)
        case .boolean(let b): return b ? json_true() : json_false()
        case .null, .undefined: return json_null()
        }
    }
}
