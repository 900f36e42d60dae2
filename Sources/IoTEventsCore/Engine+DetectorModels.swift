/// CreateDetectorModel, DescribeDetectorModel, ListDetectorModels, ListDetectorModelVersions,
/// UpdateDetectorModel and DeleteDetectorModel (docs/behaviour.md §2.1, §2.9): the shared lifecycle
/// (Engine+ModelLifecycle.swift) with the detector model's own checks.
enum DetectorModelKind: ModelKind {
    typealias Model = DetectorModel
    static var noun: String { "Detector model" }
    static var routeNoun: String { "detector" }
    static var resourceKind: ResourceKind { .detectorModel }
    static var listScope: String { "detectorModels" }
    static var versionsScope: String { "detectorModelVersions" }
    static var listOperation: String { "ListDetectorModels" }
    static var versionsOperation: String { "ListDetectorModelVersions" }
    static func maxModels(_ limits: Limits) -> (value: Int, name: String) { (limits.maxDetectorModels, "maxDetectorModels") }
    static func inputNames(_ model: DetectorModel) -> [String] { model.latest.compiled.symbols.inputNames }
    static func removeInstances(of model: DetectorModel, in engine: Engine) { engine.deleteAllDetectors(of: model) }
}

extension Engine {
    package func createDetectorModel(_ request: DetectorModelRequest, key: AttributePath?, tags: [ResourceTag]) throws(ServiceError) -> DetectorModelVersion {
        try createModel(detectorModels, name: request.name, request: request, key: key, tags: tags) { (replacing) throws(ServiceError) in
            try compileChecked(request, replacing: replacing, limitError: .limitExceeded)
        }
    }

    package func updateDetectorModel(_ request: DetectorModelRequest) throws(ServiceError) -> DetectorModelVersion {
        try updateModel(detectorModels, name: request.name, request: request) { (replacing) throws(ServiceError) in
            try compileChecked(request, replacing: replacing, limitError: .invalidRequest)
        }
    }

    package func describeDetectorModel(_ name: String, version: String?) throws(ServiceError) -> DetectorModelVersion {
        try describeModel(detectorModels, name, version: version)
    }

    package func listDetectorModels(nextToken: String?, maxResults: Int) throws(ServiceError) -> (models: [DetectorModel], nextToken: String?) {
        try listModels(detectorModels, nextToken: nextToken, maxResults: maxResults)
    }

    package func listDetectorModelVersions(_ name: String, nextToken: String?, maxResults: Int) throws(ServiceError) -> (versions: [DetectorModelVersion], nextToken: String?) {
        try listModelVersions(detectorModels, name, nextToken: nextToken, maxResults: maxResults)
    }

    /// No `onExit` runs (§2.3).
    package func deleteDetectorModel(_ name: String) throws(ServiceError) {
        try deleteModel(detectorModels, name)
    }

    // MARK: Helpers

    /// Compiles and checks a definition against the engine: the inputs it names must exist, some
    /// condition must read one (§1.6), and no input may feed more than `maxModelsPerInput` models.
    private func compileChecked(_ request: DetectorModelRequest, replacing: DetectorModel?, limitError: ServiceError.Kind) throws(ServiceError) -> CompiledDetectorModel {
        let compiled = try request.definition.compile(limits: limits)
        try checkInputs(compiled.symbols, firstUse: compiled.inputFirstUse, routes: detectorModels.routes,
                        replacing: replacing, kind: "detector", limitError: limitError)
        if !compiled.conditionReadsInput {
            throw .invalidRequest("detectorModelDefinition: no condition references an input; at least one event or transition condition must read $input.<InputName> or test currentInput(\"<InputName>\")")
        }
        return compiled
    }

    func deleteAllDetectors(of model: DetectorModel) {
        runningTimers -= model.detectors.runningTimerTotal
        model.detectors.removeAll()
    }

    static func detectorModelNotFound(_ name: String) -> ServiceError {
        modelNotFound(noun: DetectorModelKind.noun, name)
    }
}
