/// CreateAlarmModel, DescribeAlarmModel, ListAlarmModels, ListAlarmModelVersions,
/// UpdateAlarmModel and DeleteAlarmModel (docs/behaviour.md §5.1): the shared lifecycle
/// (Engine+ModelLifecycle.swift) with the alarm model's own checks.
enum AlarmModelKind: ModelKind {
    typealias Model = AlarmModel
    static var noun: String { "Alarm model" }
    static var routeNoun: String { "alarm" }
    static var resourceKind: ResourceKind { .alarmModel }
    static var listScope: String { "alarmModels" }
    static var versionsScope: String { "alarmModelVersions" }
    static var listOperation: String { "ListAlarmModels" }
    static var versionsOperation: String { "ListAlarmModelVersions" }
    static func maxModels(_ limits: Limits) -> (value: Int, name: String) { (limits.maxAlarmModels, "maxAlarmModels") }
    static func inputNames(_ model: AlarmModel) -> [String] { model.latest.compiled.symbols.inputNames }
    static func removeInstances(of model: AlarmModel, in engine: Engine) { engine.deleteAllAlarms(of: model) }
}

extension Engine {
    package func createAlarmModel(_ request: AlarmModelRequest, key: AttributePath?, tags: [ResourceTag]) throws(ServiceError) -> AlarmModelVersion {
        try createModel(alarmModels, name: request.name, request: request, key: key, tags: tags) { (replacing) throws(ServiceError) in
            let compiled = try compileChecked(request, replacing: replacing, limitError: .limitExceeded)
            try Engine.checkSiteWiseKey(compiled, key, updating: false)
            return compiled
        }
    }

    /// Deletes every alarm of the model with its snooze (§5.1).
    package func updateAlarmModel(_ request: AlarmModelRequest) throws(ServiceError) -> AlarmModelVersion {
        try updateModel(alarmModels, name: request.name, request: request) { (model) throws(ServiceError) in
            let compiled = try compileChecked(request, replacing: model, limitError: .invalidRequest)
            try Engine.checkSiteWiseKey(compiled, model.key, updating: true)
            return compiled
        }
    }

    package func describeAlarmModel(_ name: String, version: String?) throws(ServiceError) -> AlarmModelVersion {
        try describeModel(alarmModels, name, version: version)
    }

    package func listAlarmModels(nextToken: String?, maxResults: Int) throws(ServiceError) -> (models: [AlarmModel], nextToken: String?) {
        try listModels(alarmModels, nextToken: nextToken, maxResults: maxResults)
    }

    package func listAlarmModelVersions(_ name: String, nextToken: String?, maxResults: Int) throws(ServiceError) -> (versions: [AlarmModelVersion], nextToken: String?) {
        try listModelVersions(alarmModels, name, nextToken: nextToken, maxResults: maxResults)
    }

    /// No actions run.
    package func deleteAlarmModel(_ name: String) throws(ServiceError) {
        try deleteModel(alarmModels, name)
    }

    // MARK: Helpers

    /// Compiles and checks the rule against the engine: the inputs it reads must exist, and no
    /// input may feed more than `maxModelsPerInput` alarm models.
    private func compileChecked(_ request: AlarmModelRequest, replacing: AlarmModel?, limitError: ServiceError.Kind) throws(ServiceError) -> CompiledAlarmModel {
        let compiled = try request.compile(limits: limits)
        try checkInputs(compiled.symbols, firstUse: compiled.inputFirstUse, routes: alarmModels.routes,
                        replacing: replacing, kind: "alarm", limitError: limitError)
        return compiled
    }

    func deleteAllAlarms(of model: AlarmModel) {
        model.alarms.forEach { if $0.snoozeDeadline != nil { runningSnoozes -= 1 } }
        model.alarms.removeAll()
    }

    /// A SiteWise-sourced model's alarms are keyed by asset id (§5.1): it has no `key`.
    /// An update cannot change the key, so a keyed model cannot become SiteWise-sourced.
    static func checkSiteWiseKey(_ compiled: CompiledAlarmModel, _ key: AttributePath?, updating: Bool) throws(ServiceError) {
        guard compiled.isSiteWise, let key else { return }
        if updating {
            throw .invalidRequest("alarmRule: the alarm model is keyed on \(key.text) (a key cannot change), so it cannot read SiteWise properties ($sitewise), whose alarms are keyed by asset id")
        }
        throw .invalidRequest("key: the alarm model reads SiteWise properties ($sitewise), so its alarms are keyed by asset id; it cannot also be keyed on \(key.text)")
    }

    static func alarmModelNotFound(_ name: String) -> ServiceError {
        modelNotFound(noun: AlarmModelKind.noun, name)
    }
}
