/// Detector models and alarm models live the same life (docs/behaviour.md §2.9, §5.1): created at
/// version 1, updated to a new live version that retires the previous one and deletes every
/// instance, described by version, listed by name, their versions listed newest first, deleted
/// with all their instances. `Engine+ModelLifecycle.swift` writes that life once, for any
/// `ModelKind`; a kind says only what differs: its names, its limit, how its instances go.

/// The status a model version reports (both kinds use the same three).
package enum ModelVersionStatus: String, Sendable {
    case activating = "ACTIVATING"
    case active = "ACTIVE"
    case inactive = "INACTIVE"
}

/// One version of a model, as the lifecycle makes and retires it.
protocol LifecycleVersion: NumberedVersion {
    associatedtype Request
    associatedtype Compiled
    var creationTime: Millis { get }
    init(number: Int, request: Request, compiled: Compiled, key: AttributePath?, creationTime: Millis, lastUpdateTime: Millis)
    /// A newer version took over at `time`.
    func retire(at time: Millis)
}

/// A model, as the lifecycle creates, versions and deletes it.
protocol LifecycleModel: VersionedModel where Version: LifecycleVersion {
    var name: String { get }
    var arn: String { get }
    var key: AttributePath? { get }
    var versions: [Version] { get set }
    /// False once deleted: expiry entries that still point at the model are then stale.
    var isLive: Bool { get set }
    init(name: String, arn: String, key: AttributePath?, first: Version, tags: TagSet)
}

/// What differs between detector models and alarm models in their lifecycle.
protocol ModelKind {
    associatedtype Model: LifecycleModel
    /// "Detector model", as error messages begin.
    static var noun: String { get }
    /// "detector", as in "feeds 10 detector models".
    static var routeNoun: String { get }
    static var resourceKind: ResourceKind { get }
    /// Page-token scopes and the operations whose tokens they are.
    static var listScope: String { get }
    static var versionsScope: String { get }
    static var listOperation: String { get }
    static var versionsOperation: String { get }
    /// The limit on how many models of the kind an engine holds, and its configuration name.
    static func maxModels(_ limits: Limits) -> (value: Int, name: String)
    /// The inputs a model reads (its routes).
    static func inputNames(_ model: Model) -> [String]
    /// Deletes every instance of `model` (detectors with their timers, alarms with their snoozes).
    static func removeInstances(of model: Model, in engine: Engine)
}

/// The models of one kind: by name, and by the inputs that feed them (the routes every message
/// follows, recomputed whenever a model comes, changes or goes).
final class ModelCatalog<Kind: ModelKind> {
    private var registry = NamedRegistry<Kind.Model>()
    private(set) var routes: [String: [Kind.Model]] = [:]
    /// Counts route rebuilds: message routes resolved before the last one are stale.
    private(set) var generation: UInt64 = 0

    var count: Int { registry.count }
    var all: [Kind.Model] { registry.all }
    subscript(name: String) -> Kind.Model? { registry[name] }
    func contains(_ name: String) -> Bool { registry.contains(name) }

    func page(after: String?, limit: Int) -> (values: [Kind.Model], more: Bool) {
        registry.page(after: after, limit: limit)
    }

    func set(_ model: Kind.Model) {
        registry.set(model.name, model)
    }

    func remove(_ name: String) {
        registry.remove(name)
    }

    /// A model is fed by every input its expressions name (`$input.X…`, a literal
    /// `currentInput("X")`), SiteWise's pseudo-input aside.
    func rebuildRoutes() {
        routes = Engine.routes(registry.all) { Kind.inputNames($0) }
        generation &+= 1
    }
}
