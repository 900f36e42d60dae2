/// CreateInput, DescribeInput, ListInputs, UpdateInput, DeleteInput (docs/behaviour.md §1.1).
extension Engine {
    /// Scope of ListInputs page tokens.
    static let inputListScope = "inputs"

    package func createInput(_ definition: InputDefinition, tags: [ResourceTag]) throws(ServiceError) -> Input {
        if let existing = inputs[definition.name] {
            throw ServiceError(
                .resourceAlreadyExists, "Input \(definition.name) already exists",
                resourceId: existing.name, resourceArn: existing.arn)
        }
        if inputs.count >= limits.maxInputs {
            // CreateInput's service model lists no LimitExceededException (docs/behaviour.md §6.0).
            throw .invalidRequest("Cannot create input \(definition.name): the engine already has \(inputs.count) inputs (limit maxInputs = \(limits.maxInputs))")
        }
        let tagSet = try Engine.newTagSet(tags, member: "tags", limitError: .invalidRequest)
        let now = clock.now()
        let input = Input(
            name: definition.name, description: definition.description, attributes: definition.attributes,
            arn: names.arn(.input, definition.name), creationTime: now, lastUpdateTime: now,
            status: .active, tags: tagSet)
        inputs.set(input.name, input)
        return input
    }

    package func describeInput(_ name: String) throws(ServiceError) -> Input {
        guard let input = inputs[name] else { throw Engine.inputNotFound(name) }
        return input
    }

    /// One page of inputs in name order; `nextToken` is nil on the last page.
    package func listInputs(nextToken: String?, maxResults: Int) throws(ServiceError) -> (inputs: [Input], nextToken: String?) {
        var after: String?
        if let nextToken {
            guard let name = PageToken.decode(nextToken, scope: Engine.inputListScope) else {
                throw .invalidRequest("nextToken is not a token ListInputs issued")
            }
            after = name
        }
        let page = inputs.page(after: after, limit: maxResults)
        let token = page.more ? page.values.last.map { PageToken.encode(scope: Engine.inputListScope, after: $0.name) } : nil
        return (page.values, token)
    }

    /// Replaces the input's definition and description (UpdateInput is a PUT: an absent
    /// description clears it).
    package func updateInput(_ definition: InputDefinition) throws(ServiceError) -> Input {
        guard var input = inputs[definition.name] else { throw Engine.inputNotFound(definition.name) }
        if let user = modelReading(input: input.name, keeping: definition.attributes) {
            throw .inUse("Input \(input.name) is in use by \(user), an attribute the update removes")
        }
        input.description = definition.description
        input.attributes = definition.attributes
        input.lastUpdateTime = clock.now()
        inputs.set(input.name, input)
        return input
    }

    package func deleteInput(_ name: String) throws(ServiceError) {
        guard inputs.contains(name) else { throw Engine.inputNotFound(name) }
        if let user = modelReading(input: name, keeping: nil) {
            throw .inUse("Input \(name) is in use by \(user)")
        }
        inputs.remove(name)
    }

    /// The model (as "detector model X" / "alarm model X") that reads `input` through an attribute
    /// outside `keeping` (any attribute when nil), if there is one. Models are what make an input
    /// "in use" (docs/behaviour.md §6.0).
    func modelReading(input: String, keeping: [AttributePath]?) -> String? {
        modelReading(input: input, keeping: keeping, routes: detectorModels.routes, kind: "detector",
                     name: { $0.name }, references: { $0.latest.compiled.symbols.inputAttributes })
            ?? modelReading(input: input, keeping: keeping, routes: alarmModels.routes, kind: "alarm",
                            name: { $0.name }, references: { $0.latest.compiled.symbols.inputAttributes })
    }

    static func inputNotFound(_ name: String) -> ServiceError {
        .notFound("Input \(name) does not exist")
    }
}
