/// The lifecycle every model kind shares (ModelLifecycle.swift): Create, Update, Describe, List,
/// ListVersions and Delete for detector models (§2.9) and alarm models (§5.1) alike.
///
/// Embedded Swift compiles a generic function once per kind: the checks that only need the kind's
/// names and counts (and their messages) are non-generic functions below, compiled once.
extension Engine {
    /// Creates version 1. The model is live the moment this returns; the version reports
    /// `ACTIVATING` in the create response only, as AWS's create did. `compile` checks the
    /// request against the engine (its inputs, the kind's own rules) for a new model.
    /// Never inlined: inlined into each kind's create, it pulled a copy of the catalog's insertion
    /// (and its dictionary code) along with it, 2 KB more in the small profile.
    @inline(never)
    func createModel<Kind: ModelKind>(
        _ catalog: ModelCatalog<Kind>, name: String, request: Kind.Model.Version.Request, key: AttributePath?, tags: [ResourceTag],
        compile: (Kind.Model?) throws(ServiceError) -> Kind.Model.Version.Compiled
    ) throws(ServiceError) -> Kind.Model.Version {
        let existing = catalog[name]
        try Engine.checkCreatable(name, existing: existing.map { ($0.name, $0.arn) }, count: catalog.count,
                                  limit: Kind.maxModels(limits), noun: Kind.noun, routeNoun: Kind.routeNoun)
        let compiled = try compile(nil)
        let tagSet = try Engine.newTagSet(tags, member: "tags")
        let now = clock.now()
        let version = Kind.Model.Version(number: 1, request: request, compiled: compiled, key: key, creationTime: now, lastUpdateTime: now)
        catalog.set(Kind.Model(name: name, arn: names.arn(Kind.resourceKind, name), key: key, first: version, tags: tagSet))
        catalog.rebuildRoutes()
        return version
    }

    /// A new version becomes live; the previous one becomes INACTIVE and every instance of the
    /// model is deleted: later messages create them afresh from the new version.
    func updateModel<Kind: ModelKind>(
        _ catalog: ModelCatalog<Kind>, name: String, request: Kind.Model.Version.Request,
        compile: (Kind.Model) throws(ServiceError) -> Kind.Model.Version.Compiled
    ) throws(ServiceError) -> Kind.Model.Version {
        let model = try existingModel(catalog, name)
        try checkVersionCount(model.versions.count, noun: Kind.noun, name: name)
        let compiled = try compile(model)
        let now = clock.now()
        let previous = model.latest
        previous.retire(at: now)
        let version = Kind.Model.Version(
            number: previous.number + 1, request: request, compiled: compiled, key: model.key,
            creationTime: now, lastUpdateTime: now)
        model.versions.append(version)
        Kind.removeInstances(of: model, in: self)
        catalog.rebuildRoutes()
        return version
    }

    /// The latest version, or the one named.
    func describeModel<Kind: ModelKind>(_ catalog: ModelCatalog<Kind>, _ name: String, version: String?) throws(ServiceError) -> Kind.Model.Version {
        let model = try existingModel(catalog, name)
        guard let version else { return model.latest }
        guard let found = model.version(version) else { throw .notFound("\(Kind.noun) \(name) has no version \(version)") }
        return found
    }

    /// One page of models in name order; the token is the last name given.
    func listModels<Kind: ModelKind>(_ catalog: ModelCatalog<Kind>, nextToken: String?, maxResults: Int) throws(ServiceError) -> (models: [Kind.Model], nextToken: String?) {
        let after = try Engine.resume(nextToken, scope: Kind.listScope, operation: Kind.listOperation)
        let page = catalog.page(after: after, limit: maxResults)
        let token = page.more ? page.values.last.map { PageToken.encode(scope: Kind.listScope, after: $0.name) } : nil
        return (page.values, token)
    }

    /// Versions newest first, as AWS lists them.
    func listModelVersions<Kind: ModelKind>(_ catalog: ModelCatalog<Kind>, _ name: String, nextToken: String?, maxResults: Int) throws(ServiceError) -> (versions: [Kind.Model.Version], nextToken: String?) {
        let model = try existingModel(catalog, name)
        return try Engine.newestFirst(model.versions, scope: "\(Kind.versionsScope)/\(name)", nextToken: nextToken,
                                      maxResults: maxResults, operation: Kind.versionsOperation)
    }

    /// Deletes the model, every version and every instance (no `onExit` or action runs).
    func deleteModel<Kind: ModelKind>(_ catalog: ModelCatalog<Kind>, _ name: String) throws(ServiceError) {
        let model = try existingModel(catalog, name)
        Kind.removeInstances(of: model, in: self)
        model.isLive = false
        catalog.remove(name)
        catalog.rebuildRoutes()
    }

    func existingModel<Kind: ModelKind>(_ catalog: ModelCatalog<Kind>, _ name: String) throws(ServiceError) -> Kind.Model {
        guard let model = catalog[name] else { throw Engine.modelNotFound(noun: Kind.noun, name) }
        return model
    }

    // MARK: What the lifecycle does without the kind's types

    static func modelNotFound(noun: String, _ name: String) -> ServiceError {
        .notFound("\(noun) \(name) does not exist")
    }

    /// A model named `name` may be created: no model of the kind (`existing`) has the name, and
    /// the kind's `count` models are fewer than its limit.
    static func checkCreatable(_ name: String, existing: (name: String, arn: String)?, count: Int, limit: (value: Int, name: String),
                               noun: String, routeNoun: String) throws(ServiceError) {
        if let existing {
            throw ServiceError(.resourceAlreadyExists, "\(noun) \(name) already exists", resourceId: existing.name, resourceArn: existing.arn)
        }
        if count >= limit.value {
            throw .limitExceeded("Cannot create \(routeNoun) model \(name): the engine already has \(count) \(routeNoun) models (limit \(limit.name) = \(limit.value))")
        }
    }

    /// A model with `count` versions may have one more.
    func checkVersionCount(_ count: Int, noun: String, name: String) throws(ServiceError) {
        if count >= limits.maxVersionsPerModel {
            throw .invalidRequest("\(noun) \(name) already has \(count) versions (limit maxVersionsPerModel = \(limits.maxVersionsPerModel))")
        }
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

    /// The cursor of a list call's `nextToken`, or nil to start at the beginning.
    static func resume(_ token: String?, scope: String, operation: String) throws(ServiceError) -> String? {
        guard let token else { return nil }
        guard let after = PageToken.decode(token, scope: scope) else {
            throw .invalidRequest("nextToken is not a token \(operation) issued")
        }
        return after
    }
}
