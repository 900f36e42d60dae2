import CJanssonShim
import IoTEventsCore

/// `\u0000` in a string. jansson parses it only with JSON_ALLOW_NUL (without, it calls the text
/// invalid JSON and names its own flag); a text it refuses so is parsed again with it
/// (`JSONDocument.load`) and then refused naming the member, because everything downstream reads strings as C strings and would silently cut
/// them at the NUL.
///
/// A number too large for a 64-bit float is parsed as a string holding `numericOverflow` (see
/// `JSONDocument.load`) and found by the same walk, so that its error names the member too.
enum NulCharacters {
    /// Starts with U+0000, which no accepted string holds.
    static let numericOverflow = "\u{0}numeric overflow"
    static let numericOverflowLiteral: [UInt8] = Array("\"\\u0000numeric overflow\"".utf8)

    /// Where a refused string sits, and whether it stands for a number too large.
    struct Found {
        var path: String
        var isNumericOverflow: Bool
    }

    /// The first string holding U+0000 ("messages[0].payload.name"), or nil.
    static func path(in value: JSONValue, at path: String = "") -> Found? {
        if value.isString {
            guard let c = json_string_value(value.raw) else { return nil }
            let length = json_string_length(value.raw)
            guard strlen_of(c) != length else { return nil }
            let overflow = length == numericOverflow.utf8.count
                && UnsafeBufferPointer(start: UnsafeRawPointer(c).assumingMemoryBound(to: UInt8.self), count: length)
                    .elementsEqual(numericOverflow.utf8)
            return Found(path: path, isNumericOverflow: overflow)
        }
        if value.isArray {
            for (i, element) in value.elements.enumerated() {
                if let found = self.path(in: element, at: "\(path)[\(i)]") { return found }
            }
            return nil
        }
        guard value.isObject else { return nil }
        var found: Found?
        value.forEachMember { key, member in
            guard found == nil else { return }
            let name = String(cString: key)
            found = self.path(in: member, at: path.isEmpty ? name : "\(path).\(name)")
        }
        return found
    }

    private static func strlen_of(_ c: UnsafePointer<CChar>) -> Int {
        var n = 0
        while c[n] != 0 { n += 1 }
        return n
    }

    static func message(_ found: Found) -> String {
        let at = found.path.isEmpty ? "The document" : "Value at '\(found.path)'"
        return found.isNumericOverflow
            ? "\(at) is a number outside the range of a 64-bit float"
            : "\(at) contains \\u0000 (U+0000), which is not accepted"
    }
}
