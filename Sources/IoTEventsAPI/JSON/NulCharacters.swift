import CJanssonShim

/// `\u0000` in a string. jansson parses it only with JSON_ALLOW_NUL (without, it calls the text
/// invalid JSON and names its own flag); we parse with it and then refuse the document naming
/// the member, because everything downstream reads strings as C strings and would silently cut
/// them at the NUL.
enum NulCharacters {
    /// Whether the text contains the escape at all: the walk below runs only then.
    static func mayContain(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        guard count >= 6 else { return false }
        var i = 0
        while i + 6 <= count {
            if bytes[i] == 0x5C /* \ */, bytes[i + 1] == 0x75 /* u */, bytes[i + 2] == 0x30, bytes[i + 3] == 0x30,
               bytes[i + 4] == 0x30, bytes[i + 5] == 0x30 {
                return true
            }
            i += 1
        }
        return false
    }

    /// The path of the first string holding U+0000 ("messages[0].payload.name"), or nil.
    static func path(in value: JSONValue, at path: String = "") -> String? {
        if value.isString {
            guard let c = json_string_value(value.raw) else { return nil }
            return strlen_of(c) != json_string_length(value.raw) ? path : nil
        }
        if value.isArray {
            for (i, element) in value.elements.enumerated() {
                if let found = self.path(in: element, at: "\(path)[\(i)]") { return found }
            }
            return nil
        }
        guard value.isObject else { return nil }
        var found: String?
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

    static func message(_ path: String) -> String {
        path.isEmpty
            ? "The document is a string that contains \\u0000 (U+0000), which is not accepted"
            : "Value at '\(path)' contains \\u0000 (U+0000), which is not accepted"
    }
}
