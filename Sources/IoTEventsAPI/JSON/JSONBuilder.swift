import CJanssonShim

/// An owned jansson object under construction, for responses and error documents.
///
/// Every `set` takes ownership of the value it stores. `take()` hands the finished tree to the
/// caller (who must decref or dump-and-decref it); a builder that is never taken frees its tree.
struct JSONObject: ~Copyable {
    private(set) var raw: UnsafeMutablePointer<json_t>?

    init() { raw = json_object() }

    deinit { if let raw { ie_json_decref(raw) } }

    consuming func take() -> UnsafeMutablePointer<json_t>? {
        let result = raw
        raw = nil
        return result
    }

    mutating func set(_ key: String, _ value: UnsafeMutablePointer<json_t>?) {
        guard let raw, let value else { return }
        _ = ie_json_object_set_new(raw, key, value)
    }

    mutating func set(_ key: String, _ value: String) { set(key, JSONText.string(value)) }
    mutating func set(_ key: String, _ value: String?) { if let value { set(key, JSONText.string(value)) } }
    mutating func set(_ key: String, integer value: Int64) { set(key, json_integer(json_int_t(value))) }
    mutating func set(_ key: String, bool value: Bool) { set(key, value ? json_true() : json_false()) }
    /// A timestamp as epoch seconds with the millisecond fraction, as AWS's rest-json sends it.
    mutating func set(_ key: String, time millis: Int64) { set(key, json_real(Double(millis) / 1000)) }
    mutating func set(_ key: String, object: consuming JSONObject) { set(key, object.take()) }
    mutating func set(_ key: String, array: consuming JSONArray) { set(key, array.take()) }
}

/// An owned jansson array under construction; see `JSONObject`.
struct JSONArray: ~Copyable {
    private(set) var raw: UnsafeMutablePointer<json_t>?

    init() { raw = json_array() }

    deinit { if let raw { ie_json_decref(raw) } }

    consuming func take() -> UnsafeMutablePointer<json_t>? {
        let result = raw
        raw = nil
        return result
    }

    mutating func append(_ value: UnsafeMutablePointer<json_t>?) {
        guard let raw, let value else { return }
        _ = ie_json_array_append_new(raw, value)
    }

    mutating func append(object: consuming JSONObject) { append(object.take()) }
}

enum JSONText {
    /// A JSON string of `text` (Swift strings are valid UTF-8, so jansson need not check again).
    static func string(_ text: String) -> UnsafeMutablePointer<json_t>? {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return json_stringn_nocheck("", 0) }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { json_stringn_nocheck($0, bytes.count) }
        }
    }

    /// Serialises `value` compactly into a malloc'd C string the caller frees with `free`.
    /// Timestamps need 13 significant digits; 15 keeps every millisecond exact without the noise
    /// digits of the 17 jansson uses by default (1700000123.456, not 1700000123.4560001).
    static func dump(_ value: UnsafeMutablePointer<json_t>) -> UnsafeMutablePointer<CChar>? {
        json_dumps(value, ie_json_dump_flags(15))
    }
}
