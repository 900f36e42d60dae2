import CJanssonShim
import IoTEventsCore

/// BatchAcknowledgeAlarm, BatchDisableAlarm, BatchEnableAlarm, BatchResetAlarm,
/// BatchSnoozeAlarm, DescribeAlarm, ListAlarms (docs/behaviour.md §6.6, §6.7).
enum AlarmOperations {
    /// One of the five operator batches: the whole request is checked first (count, unique
    /// `requestId`s), then each entry is applied or becomes an error entry. Expiries due by now
    /// (a snooze that has run out) are processed before the first entry.
    static func batch(_ action: AlarmOperatorAction, _ request: JSONValue, _ engine: Engine, _ output: inout RunOutput) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let member = listMember(action)
        let entries = request[member]?.elements ?? []
        let limit = engine.limits.maxAlarmRequestsPerBatch
        if entries.count > limit {
            throw .invalidRequest("\(member): \(entries.count) requests; at most \(limit) per call (limit maxAlarmRequestsPerBatch)")
        }
        try DetectorOperations.checkUniqueIds(entries, member: member, idMember: "requestId")
        var errors = JSONArray()
        var failed = 0
        for e in entries {
            let r = Engine.AlarmActionRequest(
                action: action, modelName: e["alarmModelName"]?.string ?? "", keyValue: e["keyValue"]?.string,
                note: e["note"]?.string, snoozeDuration: e["snoozeDuration"]?.integer)
            let outcome = engine.process(ExternalTrigger<PayloadSource>.alarmAction(r), parser: JanssonPayloadParser(), output: &output)
            if let error = outcome.errors.first {
                errors.append(object: DetectorOperations.errorEntry("requestId", e["requestId"]?.string ?? "", error))
                failed += 1
            }
        }
        var body = JSONObject()
        if failed > 0 { body.set("errorEntries", array: errors) }
        return body.take()
    }

    static func describe(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let found = try engine.describeAlarm(model: request["alarmModelName"]?.string ?? "", keyValue: request["keyValue"]?.string)
        let a = found.alarm
        let version = found.model.latest
        var o = JSONObject()
        o.set("alarmModelName", found.model.name)
        o.set("alarmModelVersion", version.versionText)
        o.set("keyValue", a.keyValue)
        o.set("alarmState", object: state(a))
        if let severity = version.request.severity { o.set("severity", integer: severity) }
        o.set("creationTime", time: a.creationTime)
        o.set("lastUpdateTime", time: a.lastUpdateTime)
        var body = JSONObject()
        body.set("alarm", object: o)
        return body.take()
    }

    static func list(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let page = try engine.listAlarms(
            model: request["alarmModelName"]?.string ?? "", nextToken: request["nextToken"]?.string,
            maxResults: Pagination.maxResults(request))
        let version = page.model.latest
        var summaries = JSONArray()
        for a in page.alarms {
            var s = JSONObject()
            s.set("alarmModelName", page.model.name)
            s.set("alarmModelVersion", version.versionText)
            s.set("keyValue", a.keyValue)
            s.set("stateName", a.state.rawValue)
            s.set("creationTime", time: a.creationTime)
            s.set("lastUpdateTime", time: a.lastUpdateTime)
            summaries.append(object: s)
        }
        var body = JSONObject()
        body.set("alarmSummaries", array: summaries)
        body.set("nextToken", page.nextToken)
        return body.take()
    }

    /// `AlarmState` as the data API renders it (§5.5): the rule's values as strings.
    private static func state(_ a: Alarm) -> JSONObject {
        var s = JSONObject()
        s.set("stateName", a.state.rawValue)
        if let rule = a.ruleEvaluation {
            var simple = JSONObject()
            simple.set("inputPropertyValue", rule.inputPropertyValue.templateText)
            simple.set("operator", rule.comparisonOperator.rawValue)
            simple.set("thresholdValue", rule.thresholdValue.templateText)
            var evaluation = JSONObject()
            evaluation.set("simpleRuleEvaluation", object: simple)
            s.set("ruleEvaluation", object: evaluation)
        }
        if let action = a.customerAction {
            var configuration = JSONObject()
            if let d = action.snoozeDuration { configuration.set("snoozeDuration", integer: d) }
            configuration.set("note", action.note)
            var c = JSONObject()
            c.set("actionName", action.action.rawValue)
            c.set(action.action.configurationMember, object: configuration)
            s.set("customerAction", object: c)
        }
        if a.snoozeTimedOut {
            var change = JSONObject()
            change.set("triggerType", "SNOOZE_TIMEOUT")
            var event = JSONObject()
            event.set("eventType", "STATE_CHANGE")
            event.set("stateChangeConfiguration", object: change)
            s.set("systemEvent", object: event)
        }
        return s
    }

    private static func listMember(_ action: AlarmOperatorAction) -> String {
        switch action {
        case .acknowledge: return "acknowledgeActionRequests"
        case .disable: return "disableActionRequests"
        case .enable: return "enableActionRequests"
        case .reset: return "resetActionRequests"
        case .snooze: return "snoozeActionRequests"
        }
    }
}
