/// What the engine has done since it was opened (`iotevents_counters`): the calls' outputs
/// folded in once per call or tick. What a log replay on open re-ran is not counted.
package struct EngineCounters: Sendable {
    package var messagesAccepted = 0
    package var duplicateMessages = 0
    /// Per-entry errors by kind (raw value = the ABI status code).
    package var errorEntries: [Int] = Array(repeating: 0, count: 16)
    package var evaluations = 0
    package var transitions = 0
    /// Actions run, by `ExternalActionKind` (in `EngineCounters.kinds` order); alarm
    /// notifications apart.
    package var actions: [Int] = Array(repeating: 0, count: EngineCounters.kinds.count)
    package var alarmNotifications = 0
    package var failedActions = ActionFailureCounts()
    package var timersFired = 0
    /// Log records handed to the host, by level.
    package var logRecords: [Int] = [0, 0, 0]

    init() {}

    /// `ExternalActionKind.allCases` once: a synthesized `allCases` builds a new array at each
    /// use, and every action of every call is counted.
    static let kinds = ExternalActionKind.allCases

    static func index(of kind: ExternalActionKind) -> Int? {
        for (i, k) in kinds.enumerated() where k == kind { return i }
        return nil
    }
}

extension Engine {
    /// Folds one call's (or tick's) output into the counters.
    package func count(_ output: RunOutput) {
        counters.messagesAccepted += output.messagesAccepted
        counters.duplicateMessages += output.duplicateMessages
        for kind in output.refusals where Int(kind.rawValue) < counters.errorEntries.count {
            counters.errorEntries[Int(kind.rawValue)] += 1
        }
        counters.evaluations += output.evaluations
        counters.transitions += output.transitions
        for action in output.actions where action.error == nil {
            if action.isAlarmNotification {
                counters.alarmNotifications += 1
            } else if let index = EngineCounters.index(of: action.kind) {
                counters.actions[index] += 1
            }
        }
        counters.failedActions.add(output.failures)
        counters.timersFired += output.timersFired
        for record in output.traces { counters.logRecords[record.level.rawValue] += 1 }
    }

    /// The counters as a JSON document; `storage` adds the state directory's members.
    package func countersDocument(storage: (logBytes: Int64, snapshotBytes: Int64)?) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("messagesAccepted"); w.value(Int64(counters.messagesAccepted))
        w.key("duplicateMessages"); w.value(Int64(counters.duplicateMessages))
        w.key("errorEntries"); w.beginObject()
        for (code, n) in counters.errorEntries.enumerated() where n > 0 {
            if let kind = ServiceError.Kind(rawValue: Int32(code)) { w.key(text: kind.typeName); w.value(Int64(n)) }
        }
        w.endObject()
        w.key("evaluations"); w.value(Int64(counters.evaluations))
        w.key("transitions"); w.value(Int64(counters.transitions))
        w.key("actions"); w.beginObject()
        for (i, kind) in EngineCounters.kinds.enumerated() where counters.actions[i] > 0 {
            w.key(text: kind.rawValue); w.value(Int64(counters.actions[i]))
        }
        if counters.alarmNotifications > 0 { w.key("alarmNotification"); w.value(Int64(counters.alarmNotifications)) }
        w.endObject()
        w.key("failedActions"); w.beginObject()
        for reason in ActionFailure.allCases { w.key(text: reason.name); w.value(Int64(counters.failedActions[reason])) }
        w.endObject()
        w.key("timersFired"); w.value(Int64(counters.timersFired))
        w.key("detectors"); w.value(Int64(detectorCount))
        w.key("alarms"); w.beginObject()
        let states = alarmCountsByState
        for (i, state) in AlarmStateName.allCases.enumerated() { w.key(text: state.rawValue); w.value(Int64(states[i])) }
        w.endObject()
        w.key("logRecords"); w.beginObject()
        for level in [TraceLevel.error, .info, .debug] { w.key(text: level.name); w.value(Int64(counters.logRecords[level.rawValue])) }
        w.endObject()
        if let storage {
            w.key("stateDirectory"); w.beginObject()
            w.key("logBytes"); w.value(storage.logBytes)
            w.key("snapshotBytes"); w.value(storage.snapshotBytes)
            w.endObject()
        }
        w.endObject()
        return w.text
    }

    private var detectorCount: Int {
        var n = 0
        for model in detectorModels.all { n += model.detectors.count }
        return n
    }

    /// Alarms by state, in `AlarmStateName.allCases` order.
    private var alarmCountsByState: [Int] {
        var counts = Array(repeating: 0, count: AlarmStateName.allCases.count)
        for model in alarmModels.all {
            model.alarms.forEach { alarm in
                if let i = AlarmStateName.allCases.firstIndex(of: alarm.state) { counts[i] += 1 }
            }
        }
        return counts
    }
}
