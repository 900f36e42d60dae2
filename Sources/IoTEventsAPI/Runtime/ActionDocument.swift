import CJanssonShim
import CLibcShim
import IoTEventsCore

/// An executed action as the JSON document the host's action handler receives
/// (`include/iotevents.h`, "Actions", `iotevents_action_fn`).
///
/// Written straight into text with the core's `JSONWriter`, byte for byte what jansson's compact
/// dump of the same tree gave (member order as set, absent optionals left out, jansson's string
/// escapes; a Decimal formatted by jansson itself): building the tree and dumping it cost three
/// times as much, on every action of every message. Parameter names are unique (they come from
/// JSON objects, which the request parser refuses to take with a repeated member).
package enum ActionDocument {
    package static func text(_ record: ActionRecord) -> String {
        var record = record
        var w = JSONWriter()
        write(&record, &w)
        return w.text
    }

    /// Writes the documents of one call's actions one after another into the same buffer: a
    /// writer per document allocated and freed its buffer each time (~300 instructions). A
    /// document is written, handed over and its handler returns before the next is written; a
    /// handler that calls back into the engine has that call's actions written by a writer of
    /// that call's own.
    package struct Writer: ~Copyable {
        /// Made for the first document: with no handler, no document is written and no buffer made.
        private var w: JSONWriter? = nil

        package init() {}

        /// The document of `record` as a C string, valid only inside `body`: what the action
        /// handler is given. No String is made (in Embedded Swift that cost more than writing
        /// the document). `inout`, though nothing is written: the record is then read where it
        /// is (in the array of a call's actions); a copy out of the array retained and released
        /// its strings and arrays (~300 instructions per action).
        package mutating func withCString<R>(_ record: inout ActionRecord, _ body: (UnsafePointer<CChar>) -> R) -> R {
            if w == nil { w = JSONWriter() } else { w!.removeAll() }
            write(&record, &w!)
            return w!.withCString(body)
        }
    }

    /// `inout` though nothing is written: the record is then passed as its address, and read in
    /// place under the exclusive access; a borrowed argument read from memory is passed as a copy.
    private static func write(_ record: inout ActionRecord, _ w: inout JSONWriter) {
        w.beginObject()
        w.key("type")
        w.value(record.isAlarmNotification ? "alarmNotification" : record.kind.rawValue)
        w.key("action")
        parameters(record.parameters, &w)
        w.key("payload")
        w.value(record.payload)
        w.key("payloadType")
        w.value(record.payloadType.rawValue)
        w.key("source")
        w.beginObject()
        let alarm = record.source.modelKind == .alarmModel
        w.key(alarm ? "alarmModelName" : "detectorModelName")
        w.value(record.source.modelName)
        w.key(alarm ? "alarmModelVersion" : "detectorModelVersion")
        w.value(record.source.modelVersion)
        if let key = record.source.keyValue { w.key("keyValue"); w.value(key) }
        w.key("stateName")
        w.value(record.source.stateName)
        if let event = record.source.eventName { w.key("eventName"); w.value(event) }
        w.endObject()
        w.key("eventTime")
        w.value(record.eventTime)
        if let error = record.error { w.key("error"); w.value(error) }
        w.endObject()
    }

    private static func parameters(_ list: [EvaluatedParameter], _ w: inout JSONWriter) {
        w.beginObject()
        for p in list {
            switch p.value {
            case .literal(let literal): w.key(text: p.name); w.value(literal)
            case .object(let members): w.key(text: p.name); parameters(members, &w)
            case .value(.decimal(let d)):
                // jansson holds no NaN or infinity (json_real gives NULL): the member was absent.
                if d.isFinite { w.key(text: p.name); w.raw(real(d)) }
            case .value(let value): w.key(text: p.name); w.value(value)
            }
        }
        w.endObject()
    }

    /// A real as jansson writes it (its precision and its "1.0", "1e20" spellings): by jansson.
    private static func real(_ d: Double) -> String {
        guard let raw = json_real(d) else { return "null" }
        defer { ie_json_decref(raw) }
        guard let text = json_dumps(raw, ie_json_dump_flags(15) | ie_json_encode_any_flag()) else { return "null" }
        defer { free(text) }
        return String(cString: text)
    }
}
