import IoTEventsCore

/// One entry of the write-ahead log: a call that changes state, or a clock step that fired
/// expiries. Replaying the entries in order through the engine rebuilds its state exactly,
/// because the engine is deterministic given each call's request and the instant it ran at.
/// A third kind changes no state: a delivery marker, written once the host's action handler
/// has been handed every action of an earlier call or tick (ActionDelivery).
enum LogRecord {
    /// A state-changing call: the operation, the instant the engine ran it at, the request text.
    case call(Operation, now: Millis, request: [UInt8])
    /// The clock moved to `now` (a tick or the timer thread) and expiries due by then fired.
    case tick(now: Millis)
    /// The actions of the record at `position` have all been handed to the action handler.
    /// `now` is the clock's reading when it was written (only the first record's instant is
    /// ever used, to start a replay's clock, and a marker never comes first).
    case delivered(LogPosition, now: Millis)

    /// The instant the record's call or tick ran at.
    var time: Millis {
        switch self {
        case .call(_, let now, _): return now
        case .tick(let now): return now
        case .delivered(_, let now): return now
        }
    }

    private static let callKind: UInt8 = 1
    private static let tickKind: UInt8 = 2
    private static let deliveredKind: UInt8 = 3

    func encode(into w: inout ByteWriter) {
        switch self {
        case .call(let op, let now, let request):
            w.u8(LogRecord.callKind)
            w.i64(now)
            w.string(op.nameString)
            w.run(request)
        case .tick(let now):
            w.u8(LogRecord.tickKind)
            w.i64(now)
        case .delivered(let position, let now):
            w.u8(LogRecord.deliveredKind)
            w.i64(now)
            w.u64(position.epoch)
            w.u64(position.sequence)
        }
    }

    static func decode(_ r: inout ByteReader) throws(ByteReadError) -> LogRecord {
        let kind = try r.u8()
        let now = try r.i64()
        switch kind {
        case callKind:
            let name = try r.string()
            guard let op = Operation.named(name) else { throw r.failure("an unknown operation '\(name)'") }
            let request = try r.run()
            guard r.atEnd else { throw r.failure("bytes after the request") }
            return .call(op, now: now, request: request)
        case tickKind:
            guard r.atEnd else { throw r.failure("bytes after a tick") }
            return .tick(now: now)
        case deliveredKind:
            let position = LogPosition(epoch: try r.u64(), sequence: try r.u64())
            guard r.atEnd else { throw r.failure("bytes after a delivery marker") }
            return .delivered(position, now: now)
        default:
            throw r.failure("an unknown record kind \(kind)")
        }
    }
}

/// A record as read back from a log, with where it was: what names it when its replay fails.
struct LoggedRecord {
    let record: LogRecord
    /// Its number in its log, from 1.
    let sequence: UInt64
    /// Its byte offset in the log file.
    let offset: Int
}

extension Operation {
    /// The operation whose AWS name is `name`.
    static func named(_ name: String) -> Operation? {
        for op in Operation.allCases where op.nameString == name { return op }
        return nil
    }

    /// Whether a successful call can change the engine's state, and so is written to the log.
    /// Spelled out per operation: a new operation must be placed here to compile.
    var changesState: Bool {
        switch self {
        case .createAlarmModel, .createDetectorModel, .createInput, .deleteAlarmModel, .deleteDetectorModel,
             .deleteInput, .putLoggingOptions, .tagResource, .untagResource, .updateAlarmModel,
             .updateDetectorModel, .updateInput, .batchAcknowledgeAlarm, .batchDeleteDetector,
             .batchDisableAlarm, .batchEnableAlarm, .batchPutMessage, .batchResetAlarm,
             .batchSnoozeAlarm, .batchUpdateDetector, .batchPutAssetPropertyValue,
             // Replayed, it runs the same analysis under the same id: analyses outlive a restart.
             .startDetectorModelAnalysis:
            return true
        case .describeAlarmModel, .describeDetectorModel, .describeInput, .describeLoggingOptions,
             .listAlarmModelVersions, .listAlarmModels, .listDetectorModelVersions, .listDetectorModels,
             .listInputRoutings, .listInputs, .listTagsForResource, .describeAlarm, .describeDetector,
             .listAlarms, .listDetectors,
             .describeDetectorModelAnalysis, .getDetectorModelAnalysisResults:
            return false
        }
    }
}
