import CJanssonShim
import CLibcShim
import IoTEventsCore

/// A borrowed view of a jansson value: valid while the document that owns it is alive.
///
/// Reading never traps: a member of the wrong type simply reads as nil. Requests are checked
/// against the service model before any handler reads them, so handlers can use these plainly.
struct JSONValue {
    let raw: UnsafeMutablePointer<json_t>

    init(_ raw: UnsafeMutablePointer<json_t>) { self.raw = raw }

    init?(_ raw: UnsafeMutablePointer<json_t>?) {
        guard let raw else { return nil }
        self.raw = raw
    }

    var isObject: Bool { ie_json_is_object(raw) != 0 }
    var isArray: Bool { ie_json_is_array(raw) != 0 }
    var isString: Bool { ie_json_is_string(raw) != 0 }
    var isInteger: Bool { ie_json_is_integer(raw) != 0 }
    var isReal: Bool { ie_json_is_real(raw) != 0 }
    var isBoolean: Bool { ie_json_is_boolean(raw) != 0 }
    var isNull: Bool { ie_json_is_null(raw) != 0 }

    /// The member `key` of an object; nil when absent, JSON `null`, or this is not an object.
    /// (A `null` member means "not set", as it does for the AWS SDKs.)
    subscript(key: String) -> JSONValue? {
        guard let member = JSONValue(jsonMember(raw, key)), !member.isNull else { return nil }
        return member
    }

    /// The member named by a static string (no String is built for the lookup).
    subscript(member key: StaticString) -> JSONValue? {
        key.withUTF8Buffer { bytes in
            bytes.baseAddress.flatMap { self[member: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)] }
        }
    }

    /// The member named by a NUL-terminated C string.
    subscript(member key: UnsafePointer<CChar>) -> JSONValue? {
        guard let member = JSONValue(json_object_get(raw, key)), !member.isNull else { return nil }
        return member
    }

    /// The bytes and length of a string value; (nil, 0) for any other value.
    var stringBytes: (UnsafePointer<CChar>?, Int) {
        guard isString, let bytes = json_string_value(raw) else { return (nil, 0) }
        return (bytes, json_string_length(raw))
    }

    var string: String? {
        guard isString, let bytes = json_string_value(raw) else { return nil }
        let length = json_string_length(raw)
        return bytes.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    var integer: Int64? { isInteger ? Int64(json_integer_value(raw)) : nil }
    var bool: Bool? { isBoolean ? ie_json_is_true(raw) != 0 : nil }

    /// Array elements (empty when this is not an array).
    var elements: [JSONValue] {
        guard isArray else { return [] }
        var result: [JSONValue] = []
        let n = json_array_size(raw)
        result.reserveCapacity(n)
        for i in 0..<n {
            if let element = JSONValue(json_array_get(raw, i)) { result.append(element) }
        }
        return result
    }

    var count: Int { isArray ? json_array_size(raw) : (isObject ? json_object_size(raw) : 0) }

    /// Calls `body` with each member of an object, in document order.
    func forEachMember<E: Error>(_ body: (UnsafePointer<CChar>, JSONValue) throws(E) -> Void) throws(E) {
        var iterator = json_object_iter(raw)
        while let it = iterator {
            if let key = json_object_iter_key(it), let value = JSONValue(json_object_iter_value(it)) {
                try body(key, value)
            }
            iterator = json_object_iter_next(raw, it)
        }
    }

    func member<E: Error>(_ key: String, _ body: (JSONValue) throws(E) -> Void) throws(E) {
        if let value = self[key] { try body(value) }
    }

    func strings(_ key: String) -> [String] {
        var result: [String] = []
        for element in self[key]?.elements ?? [] {
            if let s = element.string { result.append(s) }
        }
        return result
    }
}

/// The member `name` of `object` (nil when absent, or when `object` is not an object), looked up
/// with the string's own UTF-8 bytes. Handing a String to a `const char *` parameter instead
/// copies it into a new array on every call: ~650 instructions a lookup on the message path,
/// where attribute paths and detector keys are read this way for every message.
@inline(__always)
func jsonMember(_ object: UnsafeMutablePointer<json_t>, _ name: String) -> UnsafeMutablePointer<json_t>? {
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeMutablePointer<json_t>? {
        guard let base = bytes.baseAddress else { return json_object_getn(object, "", 0) }
        return json_object_getn(object, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), bytes.count)
    }
    return name.withUTF8Bytes(lookup)
}
