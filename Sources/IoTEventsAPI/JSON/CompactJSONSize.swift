import CJanssonShim

/// The length of a value's compact serialisation (`json_dumpb` with JSON_COMPACT), computed by
/// walking the tree instead of printing it.
///
/// An object payload's size is what `maxPayloadBytes` limits. Printing it just to count cost a
/// third of the engine's own time per message (an `snprintf` per number); counting digits and
/// escapes costs a few instructions a byte. Only reals are still printed, one at a time, because
/// their text is `%.17g` with jansson's fix-ups. `CompactJSONSizeTests` checks this against
/// `json_dumpb` on every kind of value.
enum CompactJSONSize {
    static func of(_ value: JSONValue) -> Int {
        let raw = value.raw
        switch raw.pointee.type {
        case JSON_OBJECT:
            var size = 2 // {}
            var first = true
            var iterator = json_object_iter(raw)
            while let it = iterator {
                if !first { size += 1 } // ,
                first = false
                if let key = json_object_iter_key(it) {
                    size += string(key, json_object_iter_key_len(it)) + 1 // :
                }
                if let member = JSONValue(json_object_iter_value(it)) { size += of(member) }
                iterator = json_object_iter_next(raw, it)
            }
            return size
        case JSON_ARRAY:
            let n = json_array_size(raw)
            var size = 2 + (n > 0 ? n - 1 : 0) // [] and the commas
            for i in 0..<n {
                if let element = JSONValue(json_array_get(raw, i)) { size += of(element) }
            }
            return size
        case JSON_STRING:
            guard let text = json_string_value(raw) else { return 2 }
            return string(text, json_string_length(raw))
        case JSON_INTEGER:
            return digits(Int64(json_integer_value(raw)))
        case JSON_REAL:
            return json_dumpb(raw, nil, 0, ie_json_dump_flags(17) | ie_json_encode_any_flag())
        case JSON_TRUE: return 4
        case JSON_FALSE: return 5
        default: return 4 // null
        }
    }

    /// A quoted string as jansson escapes it (no JSON_ESCAPE_SLASH, no JSON_ENSURE_ASCII): `"`,
    /// `\` and \b \f \n \r \t take two bytes, other control bytes six (`\u001f`).
    private static func string(_ text: UnsafePointer<CChar>, _ length: Int) -> Int {
        var size = length + 2
        let bytes = UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self)
        for i in 0..<length {
            let b = bytes[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C { continue }
            switch b {
            case 0x22, 0x5C, 0x08, 0x0C, 0x0A, 0x0D, 0x09: size += 1
            default: size += 5
            }
        }
        return size
    }

    private static func digits(_ n: Int64) -> Int {
        var size = n < 0 ? 2 : 1
        var rest = n.magnitude
        while rest >= 10 {
            rest /= 10
            size += 1
        }
        return size
    }
}
