import CJanssonShim
import IoTEventsCore

/// BatchPutAssetPropertyValue, the engine's own operation in AWS IoT SiteWise's shapes: it feeds
/// asset property values to SiteWise-sourced alarm models (docs/behaviour.md §5.1).
enum SiteWiseOperations {
    /// One error of an entry: SiteWise groups the values an error concerns under it.
    private struct EntryError {
        var code: String
        var message: String
        var timestamps: [(seconds: Int64, nanos: Int64)]
    }

    /// The whole request is checked first (unique `entryId`s, exactly one value member, value
    /// sizes); then the entries are applied in order, each value of an entry in order, to every
    /// alarm model that reads the entry's property (name order). Expiries due by now run first.
    static func batchPutAssetPropertyValue(_ request: JSONValue, _ engine: Engine, _ output: inout RunOutput) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let entries = request["entries"]?.elements ?? []
        try DetectorOperations.checkUniqueIds(entries, member: "entries", idMember: "entryId")
        var values: [[AssetPropertyValue]] = []
        for (i, e) in entries.enumerated() {
            var list: [AssetPropertyValue] = []
            for (j, v) in (e["propertyValues"]?.elements ?? []).enumerated() {
                list.append(try propertyValue(v, "entries[\(i)].propertyValues[\(j)]", engine.limits))
            }
            values.append(list)
        }
        // Expiries due by now run first, even when no value is delivered.
        _ = engine.process(.expiries(upTo: engine.clock.now()), parser: JanssonPayloadParser(), output: &output)
        var failed: [(entryId: String, errors: [EntryError])] = []
        for (i, e) in entries.enumerated() {
            var errors: [EntryError] = []
            apply(e, values[i], engine, &output, &errors)
            if !errors.isEmpty { failed.append((e["entryId"]?.string ?? "", errors)) }
        }
        var list = JSONArray()
        for f in failed {
            var errorList = JSONArray()
            for error in f.errors {
                var stamps = JSONArray()
                for t in error.timestamps {
                    var o = JSONObject()
                    o.set("timeInSeconds", integer: t.seconds)
                    o.set("offsetInNanos", integer: t.nanos)
                    stamps.append(object: o)
                }
                var o = JSONObject()
                o.set("errorCode", error.code)
                o.set("errorMessage", error.message)
                o.set("timestamps", array: stamps)
                errorList.append(object: o)
            }
            var entry = JSONObject()
            entry.set("entryId", f.entryId)
            entry.set("errors", array: errorList)
            list.append(object: entry)
        }
        var body = JSONObject()
        body.set("errorEntries", array: list)
        return body.take()
    }

    /// One entry: its property must be named by `assetId` and `propertyId` (this engine knows no
    /// aliases) and read by some alarm model; each value then evaluates those models' alarms of
    /// the asset.
    private static func apply(_ e: JSONValue, _ values: [AssetPropertyValue], _ engine: Engine,
                              _ output: inout RunOutput, _ errors: inout [EntryError]) {
        func fail(_ code: String, _ message: String, _ v: AssetPropertyValue) {
            for i in errors.indices where errors[i].code == code && errors[i].message == message {
                errors[i].timestamps.append((v.timeInSeconds, v.offsetInNanos))
                return
            }
            errors.append(EntryError(code: code, message: message, timestamps: [(v.timeInSeconds, v.offsetInNanos)]))
        }
        guard let propertyId = e["propertyId"]?.string else {
            let message = e["propertyAlias"] != nil
                ? "propertyAlias: this engine resolves no property aliases; name the property with assetId and propertyId"
                : "The entry names no property: give assetId and propertyId"
            for v in values { fail("InvalidRequestException", message, v) }
            return
        }
        guard let assetId = e["assetId"]?.string else {
            for v in values { fail("InvalidRequestException", "assetId is required with propertyId \(propertyId)", v) }
            return
        }
        if engine.alarmModels(readingProperty: propertyId).isEmpty {
            for v in values { fail("ResourceNotFoundException", "No alarm model reads the property \(propertyId)", v) }
            return
        }
        for v in values {
            guard let millis = v.millis else {
                fail("TimestampOutOfRangeException", "timestamp: \(v.timeInSeconds) s is beyond the engine's time range", v)
                continue
            }
            let trigger = ExternalTrigger<PayloadSource>.assetPropertyValue(v, assetId: assetId, propertyId: propertyId, eventTime: millis)
            for error in engine.process(trigger, parser: JanssonPayloadParser(), output: &output).errors {
                fail(error.kind.typeName, error.message, v)
            }
        }
    }

    /// An `AssetPropertyValue` already checked against its shape: its `value` must set exactly
    /// one member (SiteWise's `Variant` holds a single type), and a string must be a value the
    /// engine keeps (`maxValueChars`).
    private static func propertyValue(_ v: JSONValue, _ path: String, _ limits: Limits) throws(ServiceError) -> AssetPropertyValue {
        var found: [ExpressionValue] = []
        if let variant = v["value"] {
            if let s = variant["stringValue"]?.string {
                guard limits.admitsValue(s) else {
                    throw .invalidRequest("\(path).value.stringValue: longer than \(limits.maxValueChars) characters (limit maxValueChars)")
                }
                found.append(.string(s))
            }
            if let n = variant["integerValue"]?.integer { found.append(.integer(n)) }
            if let d = variant["doubleValue"] {
                found.append(.decimal(d.isInteger ? Double(d.integer ?? 0) : json_real_value(d.raw)))
            }
            if let b = variant["booleanValue"]?.bool { found.append(.boolean(b)) }
        }
        guard found.count == 1 else {
            throw .invalidRequest("\(path).value: must set exactly one of stringValue, integerValue, doubleValue and booleanValue (it sets \(found.count))")
        }
        let timestamp = v["timestamp"]
        return AssetPropertyValue(
            value: found[0], quality: v["quality"]?.string ?? "GOOD",
            timeInSeconds: timestamp?["timeInSeconds"]?.integer ?? 0,
            offsetInNanos: timestamp?["offsetInNanos"]?.integer ?? 0)
    }
}
