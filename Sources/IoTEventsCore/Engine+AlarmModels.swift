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
        for (id, input) in compiled.symbols.inputNames.enumerated() where input != ExpressionSymbols.sitewiseInput {
            guard inputs.contains(input) else {
                throw .invalidRequest("\(compiled.inputFirstUse[id]): the input \(input) does not exist")
            }
            let routed = alarmRoutes[input] ?? []
            let others = routed.count - (replacing.map { r in routed.contains { $0 === r } ? 1 : 0 } ?? 0)
            if others >= limits.maxModelsPerInput {
                throw ServiceError(limitError, "The input \(input) already feeds \(others) alarm models (limit maxModelsPerInput = \(limits.maxModelsPerInput))")
            }
        }
        return compiled
    }

    /// Recomputes which alarm models each input feeds: every input the rule or the actions name.
    func rebuildAlarmRoutes() {
        var routes: [String: [AlarmModel]] = [:]
        for model in alarmModels.all {
            for input in model.latest.compiled.symbols.inputNames where input != ExpressionSymbols.sitewiseInput {
                routes[input, default: []].append(model)
            }
        }
        alarmRoutes = routes
    }

    func deleteAllAlarms(of model: AlarmModel) {
        model.alarms.forEach { if $0.snoozeDeadline != nil { runningSnoozes -= 1 } }
        model.alarms.removeAll()
    }

    /// The alarm model that reads `input` through an attribute that `keeping` would no longer
    /// declare (any reference when `keeping` is nil), as "alarm model X[, which reads …]".
    func alarmModelReading(input: String, keeping: [AttributePath]?) -> String? {
        let current = inputs[input]?.attributes ?? []
        for model in alarmRoutes[input] ?? [] {
            guard let keeping else { return "alarm model \(model.name)" }
            for reference in model.latest.compiled.symbols.inputAttributes where reference.inputName == input {
                if reference.isDeclared(by: current) && !reference.isDeclared(by: keeping) {
                    return "alarm model \(model.name), which reads \(reference.text)"
                }
            }
        }
        return nil
    }

    static func alarmModelNotFound(_ name: String) -> ServiceError {
        .notFound("Alarm model \(name) does not exist")
    }
}
