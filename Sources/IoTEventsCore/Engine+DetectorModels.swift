/// CreateDetectorModel, DescribeDetectorModel, ListDetectorModels, ListDetectorModelVersions,
/// UpdateDetectorModel, DeleteDetectorModel and ListInputRoutings (semantics.md §2.1, §2.9, §1.6).
extension Engine {
    static let detectorModelListScope = "detectorModels"

    /// Creates version 1. The model is live the moment this returns; the version reports
    /// `ACTIVATING` in this response only, as AWS's create did (§2.9).
    public func createDetectorModel(_ request: DetectorModelRequest, key: AttributePath?, tags: [ResourceTag]) throws(ServiceError) -> DetectorModelVersion {
        if let existing = detectorModels[request.name] {
            throw ServiceError(
                .resourceAlreadyExists, "Detector model \(request.name) already exists",
                resourceId: existing.name, resourceArn: existing.arn)
        }
        if detectorModels.count >= limits.maxDetectorModels {
            throw .limitExceeded("Cannot create detector model \(request.name): the engine already has \(detectorModels.count) detector models (limit maxDetectorModels = \(limits.maxDetectorModels))")
        }
        let compiled = try compileChecked(request, replacing: nil, limitError: .limitExceeded)
        let tagSet = try Engine.newTagSet(tags, member: "tags")
        let now = clock.now()
        let version = DetectorModelVersion(number: 1, request: request, compiled: compiled, key: key, creationTime: now, lastUpdateTime: now)
        let model = DetectorModel(name: request.name, arn: names.arn(.detectorModel, request.name), key: key, first: version, tags: tagSet)
        detectorModels.set(model.name, model)
        rebuildDetectorRoutes()
        return version
    }

    /// A new version becomes live; the previous one becomes INACTIVE and every detector of the
    /// model is deleted (§2.9): later messages create them afresh from the new version.
    public func updateDetectorModel(_ request: DetectorModelRequest) throws(ServiceError) -> DetectorModelVersion {
        guard let model = detectorModels[request.name] else { throw Engine.detectorModelNotFound(request.name) }
        if model.versions.count >= limits.maxVersionsPerModel {
            throw .invalidRequest("Detector model \(model.name) already has \(model.versions.count) versions (limit maxVersionsPerModel = \(limits.maxVersionsPerModel))")
        }
        let compiled = try compileChecked(request, replacing: model, limitError: .invalidRequest)
        let now = clock.now()
        let previous = model.latest
        previous.status = .inactive
        previous.lastUpdateTime = now
        let version = DetectorModelVersion(
            number: previous.number + 1, request: request, compiled: compiled, key: model.key,
            creationTime: model.versions[0].creationTime, lastUpdateTime: now)
        model.versions.append(version)
        deleteAllDetectors(of: model)
        rebuildDetectorRoutes()
        return version
    }

    public func describeDetectorModel(_ name: String, version: String?) throws(ServiceError) -> DetectorModelVersion {
        guard let model = detectorModels[name] else { throw Engine.detectorModelNotFound(name) }
        guard let version else { return model.latest }
        guard let found = model.version(version) else {
            throw .notFound("Detector model \(name) has no version \(version)")
        }
        return found
    }

    public func listDetectorModels(nextToken: String?, maxResults: Int) throws(ServiceError) -> (models: [DetectorModel], nextToken: String?) {
        let after = try Engine.resume(nextToken, scope: Engine.detectorModelListScope, operation: "ListDetectorModels")
        let page = detectorModels.page(after: after, limit: maxResults)
        let token = page.more ? page.values.last.map { PageToken.encode(scope: Engine.detectorModelListScope, after: $0.name) } : nil
        return (page.values, token)
    }

    /// Versions newest first, as AWS lists them.
    public func listDetectorModelVersions(_ name: String, nextToken: String?, maxResults: Int) throws(ServiceError) -> (versions: [DetectorModelVersion], nextToken: String?) {
        guard let model = detectorModels[name] else { throw Engine.detectorModelNotFound(name) }
        return try Engine.newestFirst(model.versions, scope: "detectorModelVersions/\(name)", nextToken: nextToken,
                                      maxResults: maxResults, operation: "ListDetectorModelVersions")
    }

    /// Deletes the model, every version and every detector (no `onExit` runs, §2.3).
    public func deleteDetectorModel(_ name: String) throws(ServiceError) {
        guard let model = detectorModels[name] else { throw Engine.detectorModelNotFound(name) }
        deleteAllDetectors(of: model)
        model.isLive = false
        detectorModels.remove(name)
        rebuildDetectorRoutes()
    }

    /// The detector and alarm models a message on `input` reaches, in ARN order (a detector
    /// model and an alarm model may share a name; their ARNs differ).
    public func listInputRoutings(input: String, nextToken: String?, maxResults: Int) throws(ServiceError) -> (resources: [(name: String, arn: String)], nextToken: String?) {
        guard inputs.contains(input) else { throw Engine.inputNotFound(input) }
        let scope = "inputRoutings/\(input)"
        let after = try Engine.resume(nextToken, scope: scope, operation: "ListInputRoutings")
        var all: [(name: String, arn: String)] = []
        for model in detectorRoutes[input] ?? [] { all.append((model.name, model.arn)) }
        for model in alarmRoutes[input] ?? [] { all.append((model.name, model.arn)) }
        all.sort { ByteOrder.less($0.arn, $1.arn) }
        var result: [(name: String, arn: String)] = []
        var more = false
        for resource in all {
            if let after, !ByteOrder.less(after, resource.arn) { continue }
            if result.count == maxResults { more = true; break }
            result.append(resource)
        }
        let token = more ? result.last.map { PageToken.encode(scope: scope, after: $0.arn) } : nil
        return (result, token)
    }

    /// One page of a model's versions, newest first; the token is the last version number given.
    static func newestFirst<Version: NumberedVersion>(_ versions: [Version], scope: String, nextToken: String?, maxResults: Int, operation: String) throws(ServiceError) -> (versions: [Version], nextToken: String?) {
        var start = versions.count - 1
        if let after = try Engine.resume(nextToken, scope: scope, operation: operation) {
            guard let n = Int(after), n >= 1 else { throw .invalidRequest("nextToken is not a token \(operation) issued") }
            start = min(n - 1, versions.count) - 1
        }
        var result: [Version] = []
        var i = start
        while i >= 0, result.count < maxResults {
            result.append(versions[i])
            i -= 1
        }
        let token = i >= 0 ? result.last.map { PageToken.encode(scope: scope, after: $0.number.description) } : nil
        return (result, token)
    }

    // MARK: Helpers

    /// Compiles and checks a definition against the engine: the inputs it names must exist, some
    /// condition must read one (§1.6), and no input may feed more than `maxModelsPerInput` models.
    private func compileChecked(_ request: DetectorModelRequest, replacing: DetectorModel?, limitError: ServiceError.Kind) throws(ServiceError) -> CompiledDetectorModel {
        let compiled = try request.definition.compile(limits: limits)
        try checkInputs(compiled.symbols, firstUse: compiled.inputFirstUse, routes: detectorRoutes,
                        replacing: replacing, kind: "detector", limitError: limitError)
        if !compiled.conditionReadsInput {
            throw .invalidRequest("detectorModelDefinition: no condition references an input; at least one event or transition condition must read $input.<InputName> or test currentInput(\"<InputName>\")")
        }
        return compiled
    }

    /// Recomputes which models each input feeds: a model is fed by every input its expressions
    /// name, through `$input.X…` or a literal `currentInput("X")`.
    func rebuildDetectorRoutes() {
        detectorRoutes = Engine.routes(detectorModels.all) { $0.latest.compiled.symbols.inputNames }
    }

    func deleteAllDetectors(of model: DetectorModel) {
        runningTimers -= model.detectors.runningTimerTotal
        model.detectors.removeAll()
    }

    /// The cursor of a list call's `nextToken`, or nil to start at the beginning.
    static func resume(_ token: String?, scope: String, operation: String) throws(ServiceError) -> String? {
        guard let token else { return nil }
        guard let after = PageToken.decode(token, scope: scope) else {
            throw .invalidRequest("nextToken is not a token \(operation) issued")
        }
        return after
    }

    static func detectorModelNotFound(_ name: String) -> ServiceError {
        .notFound("Detector model \(name) does not exist")
    }
}
