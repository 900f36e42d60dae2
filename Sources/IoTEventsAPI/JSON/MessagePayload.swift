import CJanssonShim
import IoTEventsCore

/// One message's payload as a JSON document (docs/behaviour.md §1.2, §1.4, §2.2).
///
/// On the wire a payload is base64 of UTF-8 JSON; the ABI also takes the JSON object itself.
/// Either way the result is an owned jansson object the message's evaluation reads attributes
/// and the key from, straight from `json_t`.
final class MessagePayload {
    let root: JSONValue

    fileprivate init(owning raw: UnsafeMutablePointer<json_t>) { root = JSONValue(raw) }

    deinit { ie_json_decref(root.raw) }

    enum Failure: Equatable {
        /// Larger than `limits.maxPayloadBytes` once decoded: the whole request is refused.
        case tooLarge(Int)
        /// Not base64, not JSON, or JSON that is not an object: that one message is refused.
        case malformed(String)
    }

    /// The decoded size in bytes (what `maxPayloadBytes` limits), and the document. An object
    /// payload's size is `sentBytes`, the bytes of its text in the request (docs/behaviour.md §6.1: the
    /// bytes the caller sent, as for base64); only when that is unknown, its compact form.
    static func decode(_ member: JSONValue, sentBytes: Int?, maxBytes: Int, maxDepth: Int) -> (payload: MessagePayload?, bytes: Int, failure: Failure?) {
        if member.isObject {
            let size = sentBytes ?? CompactJSONSize.of(member)
            if size > maxBytes { return (nil, size, .tooLarge(size)) }
            guard let raw = ie_json_incref(member.raw) else { return (nil, size, .malformed("payload could not be read")) }
            return (MessagePayload(owning: raw), size, nil)
        }
        guard member.isString, let text = json_string_value(member.raw) else {
            return (nil, 0, .malformed("payload must be a base64 string or a JSON object"))
        }
        let encoded = UnsafeBufferPointer(
            start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: json_string_length(member.raw))
        let estimate = encoded.count / 4 * 3
        return Base64.withDecoded(encoded) { decoded in
            guard let decoded else {
                return (nil, 0, estimate > maxBytes ? .tooLarge(estimate) : .malformed("payload is not valid base64"))
            }
            if decoded.count > maxBytes { return (nil, decoded.count, .tooLarge(decoded.count)) }
            if decoded.isEmpty { return (nil, 0, .malformed("payload is empty")) }
            let (payload, failure) = parseObject(decoded, maxDepth: maxDepth)
            return (payload, decoded.count, failure)
        }
    }

    /// Decoded payload bytes as a JSON object document.
    private static func parseObject(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) -> (MessagePayload?, Failure?) {
        guard let base = bytes.baseAddress else { return (nil, .malformed("payload is empty")) }
        if JSONDepth.exceeds(base, count: bytes.count, limit: maxDepth) {
            return (nil, .malformed("payload nests deeper than \(maxDepth) levels (limit maxJsonDepth)"))
        }
        var error = json_error_t()
        var mayHoldNul = false
        guard let raw = JSONDocument.load(base, count: bytes.count, &error, suspect: &mayHoldNul) else {
            // jansson refuses a raw NUL byte anywhere; the error says where it is.
            if let nul = bytes.firstIndex(of: 0) {
                return (nil, .malformed("payload must be a JSON object; its decoded bytes hold a NUL byte at offset \(nul)"))
            }
            return (nil, .malformed("payload must be a JSON object; it is not valid JSON: \(JSONDocument.describe(error))"))
        }
        guard ie_json_is_object(raw) != 0 else {
            ie_json_decref(raw)
            return (nil, .malformed("payload must be a JSON object"))
        }
        if mayHoldNul, let found = NulCharacters.path(in: JSONValue(raw)) {
            ie_json_decref(raw)
            return (nil, .malformed("payload: \(NulCharacters.message(found))"))
        }
        return (MessagePayload(owning: raw), nil)
    }

    /// The JSON value at `path` in the payload, if every segment is there.
    func value(at path: AttributePath) -> JSONValue? {
        var current = root
        for segment in path.segments {
            guard let next = JSONValue(jsonMember(current.raw, segment)) else { return nil }
            current = next
        }
        return current
    }

    /// The detector key of a keyed model (docs/behaviour.md §2.2): a string, or a JSON integer as its
    /// decimal text, of 1–128 characters of `[a-zA-Z0-9_:-]`. nil with the reason otherwise.
    func keyValue(at path: AttributePath) -> (key: String?, problem: String?) {
        guard let value = value(at: path) else {
            return (nil, "the key \(path.text) is missing from the payload")
        }
        if value.isNull { return (nil, "the key \(path.text) is null in the payload") }
        if let n = value.integer { return MessagePayload.keyValue("\(n)".utf8, path) }
        // Checked on jansson's bytes, and only then made a String: every message reads its key.
        let (bytes, length) = value.stringBytes
        guard value.isString else { return (nil, "the key \(path.text) must be a string or an integer") }
        guard let bytes else { return MessagePayload.keyValue(UnsafeBufferPointer<UInt8>(start: nil, count: 0), path) }
        return bytes.withMemoryRebound(to: UInt8.self, capacity: length) {
            MessagePayload.keyValue(UnsafeBufferPointer(start: $0, count: length), path)
        }
    }

    /// `utf8` as a key value when it is 1-128 characters of the key pattern.
    private static func keyValue<Bytes: Collection>(_ utf8: Bytes, _ path: AttributePath) -> (key: String?, problem: String?)
        where Bytes.Element == UInt8 {
        guard utf8.count >= 1, utf8.count <= 128, SchemaPattern.keyValue.matches(utf8) else {
            return (nil, "the key \(path.text) must be 1-128 characters of a-z, A-Z, 0-9, '_', ':' and '-'")
        }
        return (String(decoding: utf8, as: UTF8.self), nil)
    }
}

extension MessagePayload {
    /// The payload of a looped-back message (§4.7): JSON text that must be an object.
    static func parse(text: String, maxDepth: Int) -> MessagePayload? {
        var text = text
        return text.withUTF8 { bytes -> MessagePayload? in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return nil }
            if JSONDepth.exceeds(base, count: bytes.count, limit: maxDepth) { return nil }
            var error = json_error_t()
            var suspect = false
            guard let raw = JSONDocument.load(base, count: bytes.count, &error, suspect: &suspect) else { return nil }
            guard ie_json_is_object(raw) != 0,
                  !suspect || NulCharacters.path(in: JSONValue(raw)) == nil
            else {
                ie_json_decref(raw)
                return nil
            }
            return MessagePayload(owning: raw)
        }
    }
}
