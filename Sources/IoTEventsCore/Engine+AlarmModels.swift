/// CreateAlarmModel, DescribeAlarmModel, ListAlarmModels, ListAlarmModelVersions,
/// UpdateAlarmModel and DeleteAlarmModel (semantics.md §5.1).
extension Engine {
    static let alarmModelListScope = "alarmModels"

    /// Creates version 1, usable at once; the response reports `ACTIVATING` (§5.1).
    public func createAlarmModel(_ request: AlarmModelRequest, key: AttributePath?, tags: [ResourceTag]) throws(ServiceError) -> AlarmModelVersion {
        if let existing = alarmModels[request.name] {
            throw ServiceError(
                .resourceAlreadyExists, "Alarm model \(request.name) already exists",
                resourceId: existing.name, resourceArn: existing.arn)
        }
        if alarmModels.count >= limits.maxAlarmModels {
            throw .limitExceeded("Cannot create alarm model \(request.name): the engine already has \(alarmModels.count) alarm models (limit maxAlarmModels = \(limits.maxAlarmModels))")
        }
        let compiled = try compileChecked(request, replacing: nil, limitError: .limitExceeded)
        try Engine.checkSiteWiseKey(compiled, key, updating: false)
        let tagSet = try Engine.newTagSet(tags, member: "tags")
        let now = clock.now()
        let version = AlarmModelVersion(number: 1, request: request, compiled: compiled, key: key, creationTime: now, lastUpdateTime: now)
        let model = AlarmModel(name: request.name, arn: names.arn(.alarmModel, request.name), key: key, first: version, tags: tagSet)
        alarmModels.set(model.name, model)
        rebuildAlarmRoutes()
        return version
    }

    /// A new version becomes live, the previous one INACTIVE, and every alarm of the model is
    /// deleted with its snooze (§5.1); messages create them afresh.
    public func updateAlarmModel(_ request: AlarmModelRequest) throws(ServiceError) -> AlarmModelVersion {
        guard let model = alarmModels[request.name] else { throw Engine.alarmModelNotFound(request.name) }
        if model.versions.count >= limits.maxVersionsPerModel {
            throw .invalidRequest("Alarm model \(model.name) already has \(model.versions.count) versions (limit maxVersionsPerModel = \(limits.maxVersionsPerModel))")
        }
        let compiled = try compileChecked(request, replacing: model, limitError: .invalidRequest)
        try Engine.checkSiteWiseKey(compiled, model.key, updating: true)
        let now = clock.now()
        let previous = model.latest
        previous.status = .inactive
        previous.lastUpdateTime = now
        let version = AlarmModelVersion(
            number: previous.number + 1, request: request, compiled: compiled, key: model.key,
            creationTime: model.versions[0].creationTime, lastUpdateTime: now)
        model.versions.append(version)
        deleteAllAlarms(of: model)
        rebuildAlarmRoutes()
        return version
    }

    public func describeAlarmModel(_ name: String, version: String?) throws(ServiceError) -> AlarmModelVersion {
        guard let model = alarmModels[name] else { throw Engine.alarmModelNotFound(name) }
        guard let version else { return model.latest }
        guard let found = model.version(version) else {
            throw .notFound("Alarm model \(name) has no version \(version)")
        }
        return found
    }

    public func listAlarmModels(nextToken: String?, maxResults: Int) throws(ServiceError) -> (models: [AlarmModel], nextToken: String?) {
        let after = try Engine.resume(nextToken, scope: Engine.alarmModelListScope, operation: "ListAlarmModels")
        let page = alarmModels.page(after: after, limit: maxResults)
        let token = page.more ? page.values.last.map { PageToken.encode(scope: Engine.alarmModelListScope, after: $0.name) } : nil
        return (page.values, token)
    }

    public func listAlarmModelVersions(_ name: String, nextToken: String?, maxResults: Int) throws(ServiceError) -> (versions: [AlarmModelVersion], nextToken: String?) {
        guard let model = alarmModels[name] else { throw Engine.alarmModelNotFound(name) }
        return try Engine.newestFirst(model.versions, scope: "alarmModelVersions/\(name)", nextToken: nextToken,
                                      maxResults: maxResults, operation: "ListAlarmModelVersions")
    }

    /// Deletes the model, every version and every alarm (no actions run).
    public func deleteAlarmModel(_ name: String) throws(ServiceError) {
        guard let model = alarmModels[name] else { throw Engine.alarmModelNotFound(name) }
        deleteAllAlarms(of: model)
        model.isLive = false
        alarmModels.remove(name)
        rebuildAlarmRoutes()
    }

    // MARK: Helpers

    /// Compiles and checks the rule against the engine: the inputs it reads must exist, and no
    /// input may feed more than `maxModelsPerInput` alarm models.
    private func compileChecked(_ request: AlarmModelRequest, replacing: AlarmModel?, limitError: ServiceError.Kind) throws(ServiceError) -> CompiledAlarmModel {
        let compiled = try request.compile(limits: limits)
        try checkInputs(compiled.symbols, firstUse: compiled.inputFirstUse, routes: alarmRoutes,
                        replacing: replacing, kind: "alarm", limitError: limitError)
        return compiled
    }

    /// Recomputes which alarm models each input feeds: every input the rule or the actions name.
    func rebuildAlarmRoutes() {
        alarmRoutes = Engine.routes(alarmModels.all) { $0.latest.compiled.symbols.inputNames }
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
        .notFound("Alarm model \(name) does not exist")
    }
}
