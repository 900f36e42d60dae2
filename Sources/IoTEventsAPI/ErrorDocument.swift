import CJanssonShim
import IoTEventsCore

/// `{"__type": "<exception>", "message": "...", "resourceId"?, "resourceArn"?}`.
enum ErrorDocument {
    static func make(_ error: ServiceError) -> UnsafeMutablePointer<json_t>? {
        var object = JSONObject()
        object.set("__type", error.kind.typeName)
        object.set("message", error.message)
        object.set("resourceId", error.resourceId)
        object.set("resourceArn", error.resourceArn)
        return object.take()
    }
}
