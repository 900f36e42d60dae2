import CJanssonShim
import IoTEventsCore

/// CreateInput, DescribeInput, ListInputs, UpdateInput, DeleteInput.
enum InputOperations {
    static func create(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let input = try engine.createInput(definition(request), tags: TagOperations.tags(request["tags"]))
        var body = JSONObject()
        body.set("inputConfiguration", object: configuration(input))
        return body.take()
    }

    static func describe(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let input = try engine.describeInput(request["inputName"]?.string ?? "")
        var attributes = JSONArray()
        for path in input.attributes {
            var attribute = JSONObject()
            attribute.set("jsonPath", path.text)
            attributes.append(object: attribute)
        }
        var definition = JSONObject()
        definition.set("attributes", array: attributes)
        var described = JSONObject()
        described.set("inputConfiguration", object: configuration(input))
        described.set("inputDefinition", object: definition)
        var body = JSONObject()
        body.set("input", object: described)
        return body.take()
    }

    static func list(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let page = try engine.listInputs(
            nextToken: request["nextToken"]?.string, maxResults: Pagination.maxResults(request))
        var summaries = JSONArray()
        for input in page.inputs {
            // An InputSummary has exactly the members of an InputConfiguration.
            summaries.append(object: configuration(input))
        }
        var body = JSONObject()
        body.set("inputSummaries", array: summaries)
        body.set("nextToken", page.nextToken)
        return body.take()
    }

    static func update(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let input = try engine.updateInput(definition(request))
        var body = JSONObject()
        body.set("inputConfiguration", object: configuration(input))
        return body.take()
    }

    static func delete(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        try engine.deleteInput(request["inputName"]?.string ?? "")
        return JSONObject().take()
    }

    private static func definition(_ request: JSONValue) -> InputDefinition {
        var attributes: [AttributePath] = []
        for attribute in request["inputDefinition"]?["attributes"]?.elements ?? [] {
            if let path = attribute["jsonPath"]?.string { attributes.append(AttributePath(path)) }
        }
        return InputDefinition(
            name: request["inputName"]?.string ?? "", description: request["inputDescription"]?.string,
            attributes: attributes)
    }

    private static func configuration(_ input: Input) -> JSONObject {
        var object = JSONObject()
        object.set("inputName", input.name)
        object.set("inputDescription", input.description)
        object.set("inputArn", input.arn)
        object.set("creationTime", time: input.creationTime)
        object.set("lastUpdateTime", time: input.lastUpdateTime)
        object.set("status", input.status.rawValue)
        return object
    }
}

/// What every list operation shares.
enum Pagination {
    /// AWS documents no default page size; we use the largest allowed (docs/behaviour.md §6.8).
    static let defaultMaxResults = 250

    static func maxResults(_ request: JSONValue) -> Int {
        guard let n = request["maxResults"]?.integer, let int = Int(exactly: n) else { return defaultMaxResults }
        return int
    }
}
