import CJanssonShim
import IoTEventsCore

/// PutLoggingOptions, DescribeLoggingOptions.
enum LoggingOperations {
    static func put(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let options = request["loggingOptions"]
        var debug: [LoggingOptions.DetectorDebugOption]?
        if let list = options?["detectorDebugOptions"] {
            var entries: [LoggingOptions.DetectorDebugOption] = []
            for entry in list.elements {
                entries.append(.init(
                    detectorModelName: entry["detectorModelName"]?.string ?? "", keyValue: entry["keyValue"]?.string))
            }
            debug = entries
        }
        engine.putLoggingOptions(LoggingOptions(
            roleArn: options?["roleArn"]?.string ?? "", level: options?["level"]?.string ?? "",
            enabled: options?["enabled"]?.bool ?? false, detectorDebugOptions: debug))
        return JSONObject().take()
    }

    static func describe(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let options = try engine.describeLoggingOptions()
        var object = JSONObject()
        object.set("roleArn", options.roleArn)
        object.set("level", options.level)
        object.set("enabled", bool: options.enabled)
        if let debug = options.detectorDebugOptions {
            var list = JSONArray()
            for entry in debug {
                var e = JSONObject()
                e.set("detectorModelName", entry.detectorModelName)
                e.set("keyValue", entry.keyValue)
                list.append(object: e)
            }
            object.set("detectorDebugOptions", array: list)
        }
        var body = JSONObject()
        body.set("loggingOptions", object: object)
        return body.take()
    }
}
