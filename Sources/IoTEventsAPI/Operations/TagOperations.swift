import CJanssonShim
import IoTEventsCore

/// TagResource, UntagResource, ListTagsForResource, and the `tags` member of create calls.
enum TagOperations {
    static func tag(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        try engine.tagResource(arn: request["resourceArn"]?.string ?? "", tags: tags(request["tags"]))
        return JSONObject().take()
    }

    static func untag(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        try engine.untagResource(arn: request["resourceArn"]?.string ?? "", keys: request.strings("tagKeys"))
        return JSONObject().take()
    }

    static func list(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let set = try engine.tags(of: request["resourceArn"]?.string ?? "")
        var body = JSONObject()
        body.set("tags", array: encode(set))
        return body.take()
    }

    static func tags(_ list: JSONValue?) -> [ResourceTag] {
        var result: [ResourceTag] = []
        for tag in list?.elements ?? [] {
            result.append(ResourceTag(key: tag["key"]?.string ?? "", value: tag["value"]?.string ?? ""))
        }
        return result
    }

    static func encode(_ set: TagSet) -> JSONArray {
        var array = JSONArray()
        for tag in set.tags {
            var object = JSONObject()
            object.set("key", tag.key)
            object.set("value", tag.value)
            array.append(object: object)
        }
        return array
    }
}
