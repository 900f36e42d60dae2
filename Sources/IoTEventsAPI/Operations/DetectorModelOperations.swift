import CJanssonShim
import IoTEventsCore

/// CreateDetectorModel, DescribeDetectorModel, ListDetectorModels, ListDetectorModelVersions,
/// UpdateDetectorModel, DeleteDetectorModel, ListInputRoutings.
enum DetectorModelOperations {
    static func create(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let key = request["key"]?.string.map { AttributePath($0) }
        try checkDefinitionSize(request, engine.limits)
        let version = try engine.createDetectorModel(
            try modelRequest(request), key: key, tags: TagOperations.tags(request["tags"]))
        var body = JSONObject()
        body.set("detectorModelConfiguration", object: configuration(version, engine, status: .activating))
        return body.take()
    }

    static func update(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        try checkDefinitionSize(request, engine.limits)
        let version = try engine.updateDetectorModel(try modelRequest(request))
        var body = JSONObject()
        body.set("detectorModelConfiguration", object: configuration(version, engine, status: .activating))
        return body.take()
    }

    static func describe(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let version = try engine.describeDetectorModel(
            request["detectorModelName"]?.string ?? "", version: request["detectorModelVersion"]?.string)
        var model = JSONObject()
        model.set("detectorModelDefinition", object: DetectorModelEncoder.definition(version.request.definition))
        model.set("detectorModelConfiguration", object: configuration(version, engine, status: nil))
        var body = JSONObject()
        body.set("detectorModel", object: model)
        return body.take()
    }

    static func list(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let page = try engine.listDetectorModels(nextToken: request["nextToken"]?.string, maxResults: Pagination.maxResults(request))
        var summaries = JSONArray()
        for model in page.models {
            var s = JSONObject()
            s.set("detectorModelName", model.name)
            s.set("detectorModelDescription", model.latest.request.description)
            s.set("creationTime", time: model.versions[0].creationTime)
            summaries.append(object: s)
        }
        var body = JSONObject()
        body.set("detectorModelSummaries", array: summaries)
        body.set("nextToken", page.nextToken)
        return body.take()
    }

    static func listVersions(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let name = request["detectorModelName"]?.string ?? ""
        let page = try engine.listDetectorModelVersions(
            name, nextToken: request["nextToken"]?.string, maxResults: Pagination.maxResults(request))
        var summaries = JSONArray()
        for version in page.versions {
            var s = JSONObject()
            s.set("detectorModelName", name)
            s.set("detectorModelVersion", version.versionText)
            s.set("detectorModelArn", engine.names.arn(.detectorModel, name))
            s.set("roleArn", version.request.roleArn)
            s.set("creationTime", time: version.creationTime)
            s.set("lastUpdateTime", time: version.lastUpdateTime)
            s.set("status", version.status.rawValue)
            s.set("evaluationMethod", version.evaluationMethod.rawValue)
            summaries.append(object: s)
        }
        var body = JSONObject()
        body.set("detectorModelVersionSummaries", array: summaries)
        body.set("nextToken", page.nextToken)
        return body.take()
    }

    static func delete(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        try engine.deleteDetectorModel(request["detectorModelName"]?.string ?? "")
        return JSONObject().take()
    }

    static func listInputRoutings(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        var body = JSONObject()
        let identifier = request["inputIdentifier"]
        let sitewise = identifier?["iotSiteWiseInputIdentifier"]?["iotSiteWiseAssetModelPropertyIdentifier"]
        if identifier?["iotEventsInputIdentifier"] != nil || sitewise != nil {
            let page: (resources: [(name: String, arn: String)], nextToken: String?)
            if identifier?["iotEventsInputIdentifier"] == nil, let s = sitewise {
                // The SiteWise-sourced alarm models that read the property (docs/behaviour.md §5.1).
                page = try engine.listSiteWiseRoutings(
                    assetModelId: s["assetModelId"]?.string ?? "", propertyId: s["propertyId"]?.string ?? "",
                    nextToken: request["nextToken"]?.string, maxResults: Pagination.maxResults(request))
            } else {
                page = try engine.listInputRoutings(
                    input: identifier?["iotEventsInputIdentifier"]?["inputName"]?.string ?? "",
                    nextToken: request["nextToken"]?.string, maxResults: Pagination.maxResults(request))
            }
            var resources = JSONArray()
            for r in page.resources {
                var o = JSONObject()
                o.set("name", r.name)
                o.set("arn", r.arn)
                resources.append(object: o)
            }
            body.set("routedResources", array: resources)
            body.set("nextToken", page.nextToken)
        } else if identifier?["iotSiteWiseInputIdentifier"] != nil {
            // No property named: no alarm model reads it.
            body.set("routedResources", array: JSONArray())
        } else {
            throw .invalidRequest("inputIdentifier: set iotEventsInputIdentifier or iotSiteWiseInputIdentifier")
        }
        return body.take()
    }

    /// AWS's quota on a detector model definition (512 KB), measured as its compact JSON text.
    /// Only create and update check it: a model already in a snapshot is taken as it was.
    static func checkDefinitionSize(_ request: JSONValue, _ limits: Limits) throws(ServiceError) {
        guard let definition = request["detectorModelDefinition"] else { return }
        let size = CompactJSONSize.of(definition)
        if size > limits.maxDefinitionBytes {
            throw .invalidRequest("detectorModelDefinition: \(size) bytes of JSON; at most \(limits.maxDefinitionBytes) are allowed (limit maxDefinitionBytes)")
        }
    }

    static func modelRequest(_ request: JSONValue) throws(ServiceError) -> DetectorModelRequest {
        guard let definition = request["detectorModelDefinition"] else {
            throw .invalidRequest("Missing required member 'detectorModelDefinition'")
        }
        return DetectorModelRequest(
            name: request["detectorModelName"]?.string ?? "",
            definition: try DetectorModelDecoder.definition(definition),
            description: request["detectorModelDescription"]?.string,
            roleArn: request["roleArn"]?.string ?? "",
            evaluationMethod: request["evaluationMethod"]?.string == "SERIAL" ? .serial : .batch)
    }

    /// A DetectorModelConfiguration; `status` overrides the version's own (create and update
    /// answer ACTIVATING, as AWS did).
    static func configuration(_ version: DetectorModelVersion, _ engine: Engine, status: DetectorModelVersion.Status?) -> JSONObject {
        let name = version.request.name
        var o = JSONObject()
        o.set("detectorModelName", name)
        o.set("detectorModelVersion", version.versionText)
        o.set("detectorModelDescription", version.request.description)
        o.set("detectorModelArn", engine.names.arn(.detectorModel, name))
        o.set("roleArn", version.request.roleArn)
        o.set("creationTime", time: version.creationTime)
        o.set("lastUpdateTime", time: version.lastUpdateTime)
        o.set("status", (status ?? version.status).rawValue)
        o.set("key", version.key?.text)
        o.set("evaluationMethod", version.evaluationMethod.rawValue)
        return o
    }
}
