import CJanssonShim
import IoTEventsCore

/// StartDetectorModelAnalysis, DescribeDetectorModelAnalysis, GetDetectorModelAnalysisResults
/// (docs/behaviour.md §8). The definition is decoded and size-checked as CreateDetectorModel
/// decodes it (a bad member is InvalidRequestException naming it); what CreateDetectorModel's
/// compiler would refuse (structure, expressions, inputs, quotas) becomes results instead.
enum AnalysisOperations {
    static func start(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        guard let json = request["detectorModelDefinition"] else {
            throw .invalidRequest("Missing required member 'detectorModelDefinition'")
        }
        try DetectorModelOperations.checkDefinitionSize(request, engine.limits)
        let definition = try DetectorModelDecoder.definition(json)
        var body = JSONObject()
        body.set("analysisId", engine.startDetectorModelAnalysis(definition))
        return body.take()
    }

    static func describe(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let status = try engine.describeDetectorModelAnalysis(request["analysisId"]?.string ?? "")
        var body = JSONObject()
        body.set("status", status.rawValue)
        return body.take()
    }

    static func results(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let page = try engine.detectorModelAnalysisResults(
            request["analysisId"]?.string ?? "", nextToken: request["nextToken"]?.string,
            maxResults: Pagination.maxResults(request))
        var results = JSONArray()
        for r in page.results {
            var o = JSONObject()
            o.set("type", r.type.rawValue)
            o.set("level", r.level.rawValue)
            o.set("message", r.message)
            var locations = JSONArray()
            for path in r.locations {
                var l = JSONObject()
                l.set("path", path)
                locations.append(object: l)
            }
            o.set("locations", array: locations)
            results.append(object: o)
        }
        var body = JSONObject()
        body.set("analysisResults", array: results)
        body.set("nextToken", page.nextToken)
        return body.take()
    }
}
