/// Writes one log record's document: the members every record has, then its own.
///
/// Every record: `timestamp` (ISO 8601, as AWS's CloudWatch entries), `time` (epoch ms), `level`,
/// `event` (what happened, one word), `logMessage` (a sentence saying it); records about an
/// instance add its model, version, key, state and the trigger of the evaluation.
struct TraceDocument: ~Copyable {
    private var w = JSONWriter()
    let level: TraceLevel

    init(level: TraceLevel, time: Millis, event: String, message: String) {
        self.level = level
        w.beginObject()
        w.key("timestamp"); w.value(Timestamp.iso8601(time))
        w.key("time"); w.value(time)
        w.key("level"); w.value(level.name)
        w.key("event"); w.value(event)
        w.key("logMessage"); w.value(message)
    }

    /// The instance the record is about, as an action's `source` names it.
    mutating func subject(_ source: ActionSource) {
        let alarm = source.modelKind == .alarmModel
        w.key(alarm ? "alarmModelName" : "detectorModelName"); w.value(source.modelName)
        w.key(alarm ? "alarmModelVersion" : "detectorModelVersion"); w.value(source.modelVersion)
        if let key = source.keyValue { w.key("keyValue"); w.value(key) }
        w.key("stateName"); w.value(source.stateName)
        if let event = source.eventName { w.key("eventName"); w.value(event) }
    }

    /// Adds members of the record's own.
    mutating func members(_ write: (inout JSONWriter) -> Void) { write(&w) }

    mutating func finish() -> TraceRecord {
        w.endObject()
        return TraceRecord(level: level, text: w.text)
    }
}

/// Epoch milliseconds as ISO 8601 UTC text (`2019-03-15T15:56:29.412Z`), proleptic Gregorian.
enum Timestamp {
    static func iso8601(_ ms: Millis) -> String {
        let (seconds, milli) = floorDivide(ms, 1000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        var out = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        out += "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        out += "." + pad(milli, 3) + "Z"
        return out
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    /// Days since 1970-01-01 to a civil date (H. Hinnant's algorithm, in eras of 400 years).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let digits = (n < 0 ? -n : n).description
        let zeros = String(repeating: "0", count: max(0, width - digits.utf8.count))
        return (n < 0 ? "-" : "") + zeros + digits
    }
}
