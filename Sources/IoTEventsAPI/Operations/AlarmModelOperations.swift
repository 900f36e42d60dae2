import CJanssonShim
import IoTEventsCore

/// CreateAlarmModel, DescribeAlarmModel, ListAlarmModels, ListAlarmModelVersions,
/// UpdateAlarmModel, DeleteAlarmModel (docs/behaviour.md §5.1).
enum AlarmModelOperations {
    static func create(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let key = request["key"]?.string.map { AttributePath($0) }
        let version = try engine.createAlarmModel(try modelRequest(request), key: key, tags: TagOperations.tags(request["tags"]))
        return configuration(version, engine, status: .activating).take()
    }

    static func update(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let version = try engine.updateAlarmModel(try modelRequest(request))
        return configuration(version, engine, status: .activating).take()
    }

    static func describe(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let version = try engine.describeAlarmModel(
            request["alarmModelName"]?.string ?? "", version: request["alarmModelVersion"]?.string)
        var body = configuration(version, engine, status: nil)
        requestMembers(version.request, key: version.key, into: &body)
        return body.take()
    }

    /// The members of an alarm model's request as CreateAlarmModel takes them (and
    /// DescribeAlarmModel answers them); `modelRequest` reads them back.
    static func requestMembers(_ r: AlarmModelRequest, key: AttributePath?, into body: inout JSONObject) {
        body.set("alarmModelName", r.name)
        body.set("alarmModelDescription", r.description)
        body.set("roleArn", r.roleArn)
        body.set("key", key?.text)
        if let severity = r.severity { body.set("severity", integer: severity) }
        var simple = JSONObject()
        simple.set("inputProperty", r.rule.inputProperty)
        simple.set("comparisonOperator", r.rule.comparisonOperator.rawValue)
        simple.set("threshold", r.rule.threshold)
        var rule = JSONObject()
        rule.set("simpleRule", object: simple)
        body.set("alarmRule", object: rule)
        if let notifications = r.notificationActions {
            var list = JSONArray()
            for n in notifications { list.append(DetectorModelEncoder.parameter(n)) }
            var o = JSONObject()
            o.set("notificationActions", array: list)
            body.set("alarmNotification", object: o)
        }
        if let actions = r.eventActions {
            var o = JSONObject()
            o.set("alarmActions", array: DetectorModelEncoder.actions(actions.map { .external($0) }))
            body.set("alarmEventActions", object: o)
        }
        if let c = r.capabilities {
            var o = JSONObject()
            if let d = c.disabledOnInitialization {
                var i = JSONObject()
                i.set("disabledOnInitialization", bool: d)
                o.set("initializationConfiguration", object: i)
            }
            if let e = c.acknowledgeFlowEnabled {
                var a = JSONObject()
                a.set("enabled", bool: e)
                o.set("acknowledgeFlow", object: a)
            }
            body.set("alarmCapabilities", object: o)
        }
    }

    static func list(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let page = try engine.listAlarmModels(nextToken: request["nextToken"]?.string, maxResults: Pagination.maxResults(request))
        var summaries = JSONArray()
        for model in page.models {
            var s = JSONObject()
            s.set("creationTime", time: model.versions[0].creationTime)
            s.set("alarmModelDescription", model.latest.request.description)
            s.set("alarmModelName", model.name)
            summaries.append(object: s)
        }
        var body = JSONObject()
        body.set("alarmModelSummaries", array: summaries)
        body.set("nextToken", page.nextToken)
        return body.take()
    }

    static func listVersions(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let name = request["alarmModelName"]?.string ?? ""
        let page = try engine.listAlarmModelVersions(name, nextToken: request["nextToken"]?.string, maxResults: Pagination.maxResults(request))
        var summaries = JSONArray()
        for version in page.versions {
            var s = JSONObject()
            s.set("alarmModelName", name)
            s.set("alarmModelArn", engine.names.arn(.alarmModel, name))
            s.set("alarmModelVersion", version.versionText)
            s.set("roleArn", version.request.roleArn)
            s.set("creationTime", time: version.creationTime)
            s.set("lastUpdateTime", time: version.lastUpdateTime)
            s.set("status", version.status.rawValue)
            summaries.append(object: s)
        }
        var body = JSONObject()
        body.set("alarmModelVersionSummaries", array: summaries)
        body.set("nextToken", page.nextToken)
        return body.take()
    }

    static func delete(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        try engine.deleteAlarmModel(request["alarmModelName"]?.string ?? "")
        return JSONObject().take()
    }

    /// The request members, already checked against the service model, as the core's request.
    static func modelRequest(_ request: JSONValue) throws(ServiceError) -> AlarmModelRequest {
        guard let simple = request["alarmRule"]?["simpleRule"] else {
            throw .invalidRequest("alarmRule: the rule must be a simpleRule")
        }
        var op: ComparisonOperator = .greater
        let opText = simple["comparisonOperator"]?.string ?? ""
        for c in ComparisonOperator.allCases where c.rawValue == opText { op = c }
        var notifications: [ActionParameterValue]?
        if let n = request["alarmNotification"] {
            var list: [ActionParameterValue] = []
            for (i, action) in (n["notificationActions"]?.elements ?? []).enumerated() {
                guard action["action"]?["lambdaAction"] != nil else {
                    throw .invalidRequest("alarmNotification.notificationActions[\(i)].action: the target must be a lambdaAction")
                }
                if let v = DetectorModelDecoder.parameter(action) { list.append(v) }
            }
            notifications = list
        }
        var eventActions: [ExternalActionDefinition]?
        if let e = request["alarmEventActions"] {
            var list: [ExternalActionDefinition] = []
            for action in try DetectorModelDecoder.actions(e["alarmActions"], "alarmEventActions.alarmActions") {
                if case .external(let external) = action { list.append(external) }
            }
            eventActions = list
        }
        var capabilities: AlarmCapabilities?
        if let c = request["alarmCapabilities"] {
            capabilities = AlarmCapabilities(
                disabledOnInitialization: c["initializationConfiguration"]?["disabledOnInitialization"]?.bool,
                acknowledgeFlowEnabled: c["acknowledgeFlow"]?["enabled"]?.bool)
        }
        return AlarmModelRequest(
            name: request["alarmModelName"]?.string ?? "",
            description: request["alarmModelDescription"]?.string,
            roleArn: request["roleArn"]?.string ?? "",
            severity: request["severity"]?.integer,
            rule: SimpleRuleDefinition(inputProperty: simple["inputProperty"]?.string ?? "", comparisonOperator: op,
                                       threshold: simple["threshold"]?.string ?? ""),
            notificationActions: notifications, eventActions: eventActions, capabilities: capabilities)
    }

    /// The members of CreateAlarmModelResponse (and the head of DescribeAlarmModelResponse);
    /// `status` overrides the version's own (create and update answer ACTIVATING).
    private static func configuration(_ version: AlarmModelVersion, _ engine: Engine, status: AlarmModelVersion.Status?) -> JSONObject {
        var o = JSONObject()
        o.set("creationTime", time: version.creationTime)
        o.set("alarmModelArn", engine.names.arn(.alarmModel, version.request.name))
        o.set("alarmModelVersion", version.versionText)
        o.set("lastUpdateTime", time: version.lastUpdateTime)
        o.set("status", (status ?? version.status).rawValue)
        return o
    }
}
