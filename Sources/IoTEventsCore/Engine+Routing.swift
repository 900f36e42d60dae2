/// What detector models and alarm models share on the way from an input to an instance: which
/// models an input feeds (§1.6), the key of a message (§2.2), the projected input view (§1.2,
/// §1.5), and whether an input is in use.
extension Engine {
    /// Input name → the models (in name order) whose expressions name it, `$sitewise` excluded.
    static func routes<Model: AnyObject>(_ models: [Model], inputNames: (Model) -> [String]) -> [String: [Model]] {
        var routes: [String: [Model]] = [:]
        for model in models {
            for input in inputNames(model) where input != ExpressionSymbols.sitewiseInput {
                routes[input, default: []].append(model)
            }
        }
        return routes
    }

    /// Checks a compiled model's inputs against the engine: each must exist (the error names the
    /// expression that first uses it), and none may feed `maxModelsPerInput` other models of the
    /// same kind already (`replacing` does not count against itself).
    func checkInputs<Model: AnyObject>(_ symbols: ExpressionSymbols, firstUse: [String], routes: [String: [Model]],
                                       replacing: Model?, kind: String, limitError: ServiceError.Kind) throws(ServiceError) {
        for (id, input) in symbols.inputNames.enumerated() where input != ExpressionSymbols.sitewiseInput {
            guard inputs.contains(input) else {
                throw .invalidRequest("\(firstUse[id]): the input \(input) does not exist")
            }
            let routed = routes[input] ?? []
            let others = routed.count - (replacing.map { r in routed.contains { $0 === r } ? 1 : 0 } ?? 0)
            if others >= limits.maxModelsPerInput {
                throw ServiceError(limitError, "The input \(input) already feeds \(others) \(kind) models (limit maxModelsPerInput = \(limits.maxModelsPerInput))")
            }
        }
    }

    /// The key of a message for a model of kind `noun` ("Detector model") named `name`, keyed on
    /// `keyPath` ("" for a keyless model), or the error entry naming the model ("Detector model
    /// m: the key id is missing from the payload"), written only when there is an error.
    static func instanceKey<Source: MessageSource>(_ source: Source, _ keyPath: AttributePath?, noun: String, name: String) -> (key: String, error: ServiceError?) {
        guard let keyPath else { return ("", nil) }
        let found = source.keyValue(at: keyPath)
        guard let key = found.key else { return ("", .invalidRequest("\(noun) \(name): \(found.problem ?? "no key value")")) }
        return (key, nil)
    }

    /// Replaces an instance's view of the message's input (id `inputId` in the model's symbols)
    /// by this message's values, projected onto the input's declared attributes unless the
    /// engine exposes whole payloads.
    func project<Source: MessageSource>(_ source: Source, input: Input, inputId: Int?, references: [InputAttributeReference],
                                        into attributes: inout [ExpressionValue]) {
        guard let inputId else { return }
        let projects = configuration.inputProjection == .declared
        // By index, reading the members needed where they lie: `enumerated()` copied every
        // reference (retaining its name and path) to look at its input id.
        for i in 0..<references.count where references[i].input == inputId {
            attributes[i] = !projects || references[i].isDeclared(by: input.attributes) ? source.attribute(at: references[i].path) : .undefined
        }
    }

    /// The first model (as "<kind> model X", plus ", which reads $input.I.a" when `keeping` is
    /// given) that reads `input` through an attribute `keeping` would no longer declare; any
    /// model that reads it at all when `keeping` is nil.
    func modelReading<Model: AnyObject>(input: String, keeping: [AttributePath]?, routes: [String: [Model]], kind: String,
                                        name: (Model) -> String, references: (Model) -> [InputAttributeReference]) -> String? {
        let current = inputs[input]?.attributes ?? []
        for model in routes[input] ?? [] {
            guard let keeping else { return "\(kind) model \(name(model))" }
            for reference in references(model) where reference.inputName == input {
                if reference.isDeclared(by: current) && !reference.isDeclared(by: keeping) {
                    return "\(kind) model \(name(model)), which reads \(reference.text)"
                }
            }
        }
        return nil
    }

    /// The detector and alarm models a message on `input` reaches, in ARN order (a detector
    /// model and an alarm model may share a name; their ARNs differ).
    package func listInputRoutings(input: String, nextToken: String?, maxResults: Int) throws(ServiceError) -> (resources: [(name: String, arn: String)], nextToken: String?) {
        guard inputs.contains(input) else { throw Engine.inputNotFound(input) }
        let scope = "inputRoutings/\(input)"
        let after = try Engine.resume(nextToken, scope: scope, operation: "ListInputRoutings")
        var all: [(name: String, arn: String)] = []
        for model in detectorModels.routes[input] ?? [] { all.append((model.name, model.arn)) }
        for model in alarmModels.routes[input] ?? [] { all.append((model.name, model.arn)) }
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
}
