/// What a message on one input reaches: the input (for its declared attributes) and the detector
/// and alarm models that read it, resolved once and reused by every message on that input until
/// an input or a model changes.
///
/// Resolving it per message cost four string-keyed lookups (the input, both kinds' routes, the
/// input's id in the model's symbols) and a copy of the input, ~800 instructions a message.
final class MessageRoute {
    let input: Input
    let detectorTargets: [DetectorTarget]
    let alarmModels: [AlarmModel]

    init(input: Input, detectorTargets: [DetectorTarget], alarmModels: [AlarmModel]) {
        self.input = input
        self.detectorTargets = detectorTargets
        self.alarmModels = alarmModels
    }
}

/// A detector model a route reaches, with the input's id in the symbols of its latest version
/// (a new version rebuilds the routes, so the id never outlives the version it was read from).
struct DetectorTarget {
    let model: DetectorModel
    let inputId: Int?
}

/// The routes resolved so far, valid for one generation of the inputs and of both model catalogs.
///
/// A gateway's messages come on a handful of inputs: the first few routes are found by comparing
/// names (two inline words for names up to 15 bytes), cheaper than hashing the name; only past
/// `listed` routes is a dictionary used.
struct MessageRouteCache {
    typealias Stamp = (inputs: UInt64, detectorModels: UInt64, alarmModels: UInt64)
    private(set) var stamp: Stamp = (0, 0, 0)
    private var listed: [(input: String, route: MessageRoute)] = []
    private var hashed: [String: MessageRoute] = [:]
    static let listedLimit = 8

    /// The route of `input` when resolved in the generation `current`; otherwise the routes of
    /// older generations are dropped and nil is returned.
    mutating func route(_ input: String, current: Stamp) -> MessageRoute? {
        if current != stamp {
            listed = []
            hashed = [:]
            stamp = current
            return nil
        }
        for entry in listed where entry.input == input { return entry.route }
        return listed.count < MessageRouteCache.listedLimit ? nil : hashed[input]
    }

    mutating func keep(_ route: MessageRoute, for input: String) {
        if listed.count < MessageRouteCache.listedLimit {
            listed.append((input, route))
        } else {
            hashed[input] = route
        }
    }
}

extension Engine {
    /// The route of a message on `inputName`, or nil when no such input exists.
    func route(forInput inputName: String) -> MessageRoute? {
        let current = (inputs: inputsGeneration, detectorModels: detectorModels.generation, alarmModels: alarmModels.generation)
        if let route = messageRoutes.route(inputName, current: current) { return route }
        guard let input = inputs[inputName] else { return nil }
        var targets: [DetectorTarget] = []
        for model in detectorModels.routes[inputName] ?? [] {
            targets.append(DetectorTarget(model: model, inputId: model.latest.compiled.symbols.inputId(inputName)))
        }
        let route = MessageRoute(input: input, detectorTargets: targets, alarmModels: alarmModels.routes[inputName] ?? [])
        messageRoutes.keep(route, for: inputName)
        return route
    }
}
