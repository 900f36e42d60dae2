import CJanssonShim
import CLibcShim
import IoTEventsCore

/// A parsed request document, owning its jansson tree.
final class JSONDocument {
    let root: JSONValue
    /// The text it was parsed from, borrowed: valid only as long as the caller's buffer (the
    /// call). For what the tree forgets, such as how many bytes a value was sent as.
    let text: UnsafeBufferPointer<UInt8>

    private init(_ raw: UnsafeMutablePointer<json_t>, text: UnsafeBufferPointer<UInt8>) {
        root = JSONValue(raw)
        self.text = text
    }

    deinit { ie_json_decref(root.raw) }

    /// Parses a request: at most `limits.maxRequestBytes` bytes and `limits.maxJsonDepth` levels of
    /// nesting (checked on the text before jansson recurses into it), strict JSON (no duplicate
    /// keys, no `\u0000`, valid UTF-8). `what` names the document in error messages.
    static func parse(
        _ text: UnsafePointer<CChar>, length: Int, maxDepth: Int, what: String
    ) throws(ServiceError) -> JSONDocument {
        let bytes = UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self)
        if JSONDepth.exceeds(bytes, count: length, limit: maxDepth) {
            throw .invalidRequest("\(what) nests deeper than \(maxDepth) levels (limit maxJsonDepth)")
        }
        var error = json_error_t()
        var suspect = false
        guard let raw = JSONDocument.load(bytes, count: length, &error, suspect: &suspect) else {
            throw .invalidRequest("\(what) is not valid JSON: \(JSONDocument.describe(error))")
        }
        let document = JSONDocument(raw, text: UnsafeBufferPointer(start: bytes, count: length))
        if suspect, let found = NulCharacters.path(in: document.root) {
            throw .invalidRequest(NulCharacters.message(found))
        }
        return document
    }

    /// `json_loadb` with our flags, then what jansson cannot do by itself:
    /// - an integer too large for 64 bits is read as a Decimal (docs/behaviour.md §1.2): the text
    ///   is parsed again with such integers written as reals. A number beyond a 64-bit float
    ///   (1e400) becomes the string `NulCharacters.numericOverflow`;
    /// - `\u0000`, which jansson refuses without naming the member, is parsed again allowed.
    /// `suspect` tells the caller the tree may then hold either, for `NulCharacters.path` to find
    /// and name. Text without them is parsed once.
    static func load(_ bytes: UnsafePointer<UInt8>, count: Int, _ error: inout json_error_t) -> UnsafeMutablePointer<json_t>? {
        var suspect = false
        return load(bytes, count: count, &error, suspect: &suspect)
    }

    static func load(_ bytes: UnsafePointer<UInt8>, count: Int, _ error: inout json_error_t, suspect: inout Bool) -> UnsafeMutablePointer<json_t>? {
        var allowNul: Int32 = 0
        var widened: [UInt8]? = nil
        while true {
            let raw: UnsafeMutablePointer<json_t>?
            if let widened {
                raw = widened.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { json_loadb($0.baseAddress, $0.count, ie_json_load_flags(allowNul), &error) }
                }
            } else {
                let text = UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self)
                raw = json_loadb(text, count, ie_json_load_flags(allowNul), &error)
            }
            if let raw { return raw }
            if allowNul == 0, ie_json_error_is_null_character(&error) != 0 {
                allowNul = 1
            } else if widened == nil, ie_json_error_is_numeric_overflow(&error) != 0 {
                widened = JSONIntegerWidening.widen(UnsafeBufferPointer(start: bytes, count: count))
            } else {
                return nil
            }
            suspect = true
        }
    }

    static func describe(_ error: json_error_t) -> String {
        var e = error
        let text = withUnsafeBytes(of: &e.text) { buffer -> String in
            let bytes = buffer.bindMemory(to: UInt8.self)
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
        }
        return "\(text) (line \(e.line), column \(e.column))"
    }
}

/// Rewrites every JSON integer outside Int64 (`18446744073709551616`) as a real (`…616.0`).
enum JSONIntegerWidening {
    /// Whether the number token bytes[start..<end] is within a 64-bit float (a malformed token
    /// is left for jansson to report).
    static func fitsDouble(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var value = 0.0
        let parsed = UnsafeRawPointer(base + start).withMemoryRebound(to: CChar.self, capacity: end - start) {
            ie_parse_double($0, end - start, &value)
        }
        return parsed == 0 || value.isFinite
    }

    static func widen(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        var inString = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                out.append(b)
                if b == UInt8(ascii: "\\"), i + 1 < bytes.count {
                    out.append(bytes[i + 1])
                    i += 1
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
                i += 1
                continue
            }
            if b == UInt8(ascii: "\"") { inString = true }
            let isStart = b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
            guard isStart else {
                out.append(b)
                i += 1
                continue
            }
            // One number token: copy it, then add ".0" if it is an integer beyond Int64.
            let start = i
            var isInteger = true
            var value: Int64 = 0
            var overflow = false
            let negative = b == UInt8(ascii: "-")
            if negative { i += 1 }
            while i < bytes.count {
                let c = bytes[i]
                if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                    let digit = Int64(c - UInt8(ascii: "0"))
                    let (m, o1) = value.multipliedReportingOverflow(by: 10)
                    let (s, o2) = negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
                    if o1 || o2 { overflow = true } else { value = s }
                } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                            || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                    isInteger = false
                } else {
                    break
                }
                i += 1
            }
            if !JSONIntegerWidening.fitsDouble(bytes, start, i) {
                out.append(contentsOf: NulCharacters.numericOverflowLiteral)
                continue
            }
            out.append(contentsOf: bytes[start ..< i])
            if isInteger && overflow { out.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "0")]) }
        }
        return out
    }
}
