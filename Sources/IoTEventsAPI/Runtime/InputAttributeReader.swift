import CJanssonShim
import IoTEventsCore

/// Reads `$input` attributes straight from a payload's `json_t` into expression values (§1.2):
/// a JSON string is a String, `true`/`false` a Boolean, a number without fraction or exponent an
/// Integer, any other number a Decimal, `null` Null; objects and arrays are not scalars, and a
/// missing step (or an index out of range) is Undefined.
enum InputAttributeReader {
    static func value(in root: JSONValue, at path: [PathStep]) -> ExpressionValue {
        var current = root.raw
        for step in path {
            switch step {
            case .member(let name):
                guard ie_json_is_object(current) != 0, let next = jsonMember(current, name) else { return .undefined }
                current = next
            case .index(let i):
                guard ie_json_is_array(current) != 0, i < json_array_size(current), let next = json_array_get(current, i) else {
                    return .undefined
                }
                current = next
            }
        }
        return scalar(JSONValue(current))
    }

    static func scalar(_ v: JSONValue) -> ExpressionValue {
        if let s = v.string { return .string(s) }
        if v.isInteger { return .integer(Int64(json_integer_value(v.raw))) }
        if v.isReal {
            let d = json_real_value(v.raw)
            return d.isFinite ? .decimal(d) : .undefined
        }
        if let b = v.bool { return .boolean(b) }
        if v.isNull { return .null }
        return .undefined
    }
}
