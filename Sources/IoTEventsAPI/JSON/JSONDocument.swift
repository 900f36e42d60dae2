import CJanssonShim
import IoTEventsCore

/// A parsed request document, owning its jansson tree.
final class JSONDocument {
    let root: JSONValue

    private init(_ raw: UnsafeMutablePointer<json_t>) { root = JSONValue(raw) }

    deinit { ie_json_decref(root.raw) }

    /// Parses a request: at most `limits.maxRequestBytes` bytes and `limits.maxJsonDepth` levels of
    /// nesting (checked on the text before jansson recurses into it), strict JSON (no duplicate
    /// keys, no `\u0000`, valid UTF-8). `what` names the document in error messages.
    static func parse(
        _ text: UnsafePointer<CChar>, length: Int, maxDepth: Int, what: String
    ) throws(ServiceError) -> JSONDocument {
        let depth = JSONDepth.scan(UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: length, limit: maxDepth)
        if depth > maxDepth {
            throw .invalidRequest("\(what) nests deeper than \(maxDepth) levels (limit maxJsonDepth)")
        }
        var error = json_error_t()
        guard let raw = json_loadb(text, length, ie_json_load_flags(), &error) else {
            throw .invalidRequest("\(what) is not valid JSON: \(JSONDocument.describe(error))")
        }
        return JSONDocument(raw)
    }

    private static func describe(_ error: json_error_t) -> String {
        var e = error
        let text = withUnsafeBytes(of: &e.text) { buffer -> String in
            let bytes = buffer.bindMemory(to: UInt8.self)
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
        }
        return "\(text) (line \(e.line), column \(e.column))"
    }
}

/// Nesting depth of JSON text, found by a byte scan that skips strings. It stops counting once
/// `limit` is passed, so hostile input costs at most one pass and never deep recursion.
enum JSONDepth {
    static func scan(_ bytes: UnsafePointer<UInt8>, count: Int, limit: Int) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var i = 0
        while i < count {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\\") { i += 1 } else if b == UInt8(ascii: "\"") { inString = false }
            } else {
                switch b {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    if depth > deepest {
                        deepest = depth
                        if deepest > limit { return deepest }
                    }
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
            }
            i += 1
        }
        return deepest
    }
}
