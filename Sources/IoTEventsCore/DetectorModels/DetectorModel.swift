/// How a detector model evaluates each lifecycle group (docs/behaviour.md §2.4).
package enum EvaluationMethod: String, Equatable, Sendable {
    case batch = "BATCH"
    case serial = "SERIAL"
}

/// What `CreateDetectorModel` / `UpdateDetectorModel` ask for, once validated against the service
/// model. The key is fixed at creation (UpdateDetectorModel has no `key`, §2.2).
package struct DetectorModelRequest: Sendable {
    package var name: String
    package var definition: DetectorModelDefinition
    package var description: String?
    package var roleArn: String
    package var evaluationMethod: EvaluationMethod

    package init(name: String, definition: DetectorModelDefinition, description: String?, roleArn: String,
                evaluationMethod: EvaluationMethod) {
        self.name = name
        self.definition = definition
        self.description = description
        self.roleArn = roleArn
        self.evaluationMethod = evaluationMethod
    }
}

/// One version of a detector model: its definition as given (for DescribeDetectorModel), the
/// compiled form detectors run, and its configuration.
///
/// A class so that every detector, timer entry and listing shares one copy. The only thing that
/// changes after creation is its status, and the names `BatchUpdateDetector` may add (variables
/// and timers the definition never mentions get slots past the compiled ones).
/// A model version, numbered from 1 (detector and alarm models alike).
package protocol NumberedVersion: AnyObject {
    var number: Int { get }
}

extension NumberedVersion {
    /// The version as the API spells it: "1", "2", …
    package var versionText: String { number.description }
}

/// A model with its versions, the last one live (detector and alarm models alike).
package protocol VersionedModel: AnyObject {
    associatedtype Version: NumberedVersion
    var versions: [Version] { get }
}

extension VersionedModel {
    /// The live version: the latest.
    package var latest: Version { versions[versions.count - 1] }

    package func version(_ text: String) -> Version? {
        for v in versions where v.versionText == text { return v }
        return nil
    }
}

package final class DetectorModelVersion: NumberedVersion {
    package typealias Status = ModelVersionStatus

    package let number: Int
    package let request: DetectorModelRequest
    package let compiled: CompiledDetectorModel
    package let key: AttributePath?
    package let creationTime: Millis
    package internal(set) var lastUpdateTime: Millis
    package internal(set) var status: Status
    /// Variable and timer names by slot: the compiled ones, then any `BatchUpdateDetector` added.
    package internal(set) var variableNames: [String]
    package internal(set) var timerNames: [String]
    private var extraVariableSlots: [String: Int] = [:]
    private var extraTimerIds: [String: Int] = [:]

    init(number: Int, request: DetectorModelRequest, compiled: CompiledDetectorModel, key: AttributePath?,
         creationTime: Millis, lastUpdateTime: Millis) {
        self.number = number
        self.request = request
        self.compiled = compiled
        self.key = key
        self.creationTime = creationTime
        self.lastUpdateTime = lastUpdateTime
        self.status = .active
        self.variableNames = compiled.symbols.variableNames
        self.timerNames = compiled.symbols.timerNames
    }

    package var evaluationMethod: EvaluationMethod { request.evaluationMethod }

    package func variableSlot(_ name: String) -> Int? {
        compiled.symbols.variableSlot(name) ?? extraVariableSlots[name]
    }

    package func timerId(_ name: String) -> Int? {
        compiled.symbols.timerId(name) ?? extraTimerIds[name]
    }

    /// How many names `BatchUpdateDetector` may add beyond those of the definition, so that
    /// hostile updates cannot grow a version's tables without bound.
    static let maximumAddedNames = 50

    /// How many more names `BatchUpdateDetector` may add.
    var addableVariableNames: Int { DetectorModelVersion.maximumAddedNames - extraVariableSlots.count }
    var addableTimerNames: Int { DetectorModelVersion.maximumAddedNames - extraTimerIds.count }

    /// The slot for `name`, adding one when the definition never mentions it; nil when the
    /// version already has `maximumAddedNames` added variables.
    func internVariable(_ name: String) -> Int? {
        if let slot = variableSlot(name) { return slot }
        guard extraVariableSlots.count < DetectorModelVersion.maximumAddedNames else { return nil }
        variableNames.append(name)
        extraVariableSlots[name] = variableNames.count - 1
        return variableNames.count - 1
    }

    func internTimer(_ name: String) -> Int? {
        if let id = timerId(name) { return id }
        guard extraTimerIds.count < DetectorModelVersion.maximumAddedNames else { return nil }
        timerNames.append(name)
        extraTimerIds[name] = timerNames.count - 1
        return timerNames.count - 1
    }

    package func stateIndex(_ name: String) -> Int? {
        for (i, state) in compiled.states.enumerated() where state.name == name { return i }
        return nil
    }
}

/// A detector model: every version, its tags, and its running detectors (all of the live,
/// i.e. latest, version: an update deletes them, §2.9).
package final class DetectorModel: VersionedModel {
    package let name: String
    package let arn: String
    package let key: AttributePath?
    package internal(set) var versions: [DetectorModelVersion]
    package internal(set) var tags: TagSet
    let detectors = DetectorTable()
    /// False once the model is deleted: timer entries that still point here are stale.
    var isLive = true

    init(name: String, arn: String, key: AttributePath?, first: DetectorModelVersion, tags: TagSet) {
        self.name = name
        self.arn = arn
        self.key = key
        self.versions = [first]
        self.tags = tags
    }

    package var detectorCount: Int { detectors.count }
}

extension DetectorModelVersion: LifecycleVersion {
    func retire(at time: Millis) {
        status = .inactive
        lastUpdateTime = time
    }
}

extension DetectorModel: LifecycleModel {}
