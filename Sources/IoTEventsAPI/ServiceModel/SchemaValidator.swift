import CJanssonShim
import IoTEventsCore

/// Checks a request document against its operation's request shape: JSON types, required
/// members, unknown members, string lengths and patterns, enums, list sizes and number ranges.
///
/// The first violation found is reported as `InvalidRequestException` naming the member's path
/// (`inputDefinition.attributes[0].jsonPath`). A member given as JSON `null` counts as absent.
/// Unknown members are rejected rather than ignored: in a hand-written request they are typos.
enum SchemaValidator {
    static func validate(_ value: JSONValue, shape: SchemaShapeID) throws(ServiceError) {
        var path = SchemaPath()
        try check(value, shape, &path)
    }

    private static func check(_ value: JSONValue, _ id: SchemaShapeID, _ path: inout SchemaPath) throws(ServiceError) {
        let shape = schemaShapes[id]
        switch shape.kind {
        case .structure:
            guard value.isObject else { throw path.error("must be a JSON object") }
            var failure: ServiceError?
            var requiredSeen = 0
            value.forEachMember { key, member in
                guard failure == nil, !member.isNull else { return }
                guard let m = memberIndex(shape, key) else {
                    failure = path.plainError("Unknown member '\(path.rendered(then: String(cString: key)))'")
                    return
                }
                if schemaMembers[m].required { requiredSeen += 1 }
                path.push(member: schemaMembers[m].name)
                do throws(ServiceError) { try check(member, schemaMembers[m].shape, &path) } catch { failure = error }
                path.pop()
            }
            if let failure { throw failure }
            // Each member appears once in a parsed object, so counting the required ones seen
            // tells whether one is missing without looking each up again.
            var requiredTotal = 0
            for m in shape.first..<(shape.first + shape.count) where schemaMembers[m].required { requiredTotal += 1 }
            if requiredSeen == requiredTotal { return }
            for m in shape.first..<(shape.first + shape.count) where schemaMembers[m].required {
                if value[member: schemaMembers[m].name] == nil {
                    path.push(member: schemaMembers[m].name)
                    defer { path.pop() }
                    throw path.plainError("Missing required member '\(path.rendered)'")
                }
            }
        case .list:
            guard value.isArray else { throw path.error("must be a JSON array") }
            let n = value.count
            if shape.min >= 0, n < shape.min { throw path.error("must have at least \(shape.min) entries") }
            if shape.max >= 0, n > shape.max { throw path.error("must have at most \(shape.max) entries") }
            for i in 0..<n {
                guard let element = JSONValue(json_array_get(value.raw, i)) else { continue }
                path.push(index: i)
                if element.isNull { throw path.error("must not be null") }
                try check(element, shape.first, &path)
                path.pop()
            }
        case .string:
            guard value.isString, let bytes = json_string_value(value.raw) else { throw path.error("must be a string") }
            let utf8 = UnsafeBufferPointer(
                start: UnsafeRawPointer(bytes).assumingMemoryBound(to: UInt8.self), count: json_string_length(value.raw))
            // Lengths count characters (Unicode scalars), not bytes.
            var length = 0
            for byte in utf8 where byte & 0xC0 != 0x80 { length += 1 }
            if shape.min >= 0, length < shape.min {
                throw path.error("must have length greater than or equal to \(shape.min)")
            }
            if shape.max >= 0, length > shape.max {
                throw path.error("must have length less than or equal to \(shape.max)")
            }
            if !shape.pattern.matches(utf8) {
                throw path.error("must satisfy regular expression pattern: \(shape.pattern.text)")
            }
            if shape.enumCount > 0 {
                var found = false
                for e in shape.enumFirst..<(shape.enumFirst + shape.enumCount) where schemaEnumValues[e].withUTF8Buffer({ $0.elementsEqual(utf8) }) {
                    found = true
                }
                if !found {
                    var names: [String] = []
                    for e in shape.enumFirst..<(shape.enumFirst + shape.enumCount) { names.append(StaticStrings.string(schemaEnumValues[e])) }
                    throw path.error("must satisfy enum value set: [\(names.joined(separator: ", "))]")
                }
            }
        case .integer, .long:
            guard let n = value.integer else { throw path.error("must be an integer") }
            // Smithy's integer is 32 bits; long is 64 (jansson already refuses anything larger).
            let lo = shape.min >= 0 ? shape.min : (shape.kind == .integer ? Int64(Int32.min) : Int64.min)
            let hi = shape.max >= 0 ? shape.max : (shape.kind == .integer ? Int64(Int32.max) : Int64.max)
            if n < lo { throw path.error("must be greater than or equal to \(lo)") }
            if n > hi { throw path.error("must be less than or equal to \(hi)") }
        case .double:
            guard value.isInteger || value.isReal else { throw path.error("must be a number") }
        case .boolean:
            guard value.isBoolean else { throw path.error("must be a boolean") }
        case .timestamp:
            guard value.isInteger || value.isReal else { throw path.error("must be a number (epoch seconds)") }
        case .blob:
            // Base64 text on the wire; the ABI also takes an already-decoded JSON object.
            guard value.isString || value.isObject else {
                throw path.error("must be a base64 string or a JSON object")
            }
        }
    }

    /// The member `key` names. The first byte tells most members apart (messageId, inputName,
    /// payload, timestamp): only a member that starts like the key is compared whole.
    private static func memberIndex(_ shape: SchemaShape, _ key: UnsafePointer<CChar>) -> Int? {
        let first = UInt8(bitPattern: key[0])
        for m in shape.first..<(shape.first + shape.count) {
            let name = schemaMembers[m].name
            if name.utf8CodeUnitCount > 0, name.utf8Start.pointee != first { continue }
            if StaticStrings.equal(name, key) { return m }
        }
        return nil
    }
}

/// Where in a request the validator is, rendered only when there is an error to report. Its
/// components are plain data (a static name or an index), so walking a request retains nothing.
struct SchemaPath {
    private enum Component {
        case member(StaticString)
        case index(Int)
    }

    private var components: [Component] = []

    init() { components.reserveCapacity(8) }

    mutating func push(member: StaticString) { components.append(.member(member)) }
    mutating func push(index: Int) { components.append(.index(index)) }
    mutating func pop() { components.removeLast() }

    var rendered: String { rendered(then: nil) }

    /// The path, then (when given) one more member name: an unknown member's.
    func rendered(then last: String?) -> String {
        var text = ""
        for component in components {
            switch component {
            case .member(let name):
                if !text.isEmpty { text += "." }
                text += StaticStrings.string(name)
            case .index(let i):
                text += "[\(i)]"
            }
        }
        if let last {
            if !text.isEmpty { text += "." }
            text += last
        }
        return text
    }

    /// "Value at 'a.b' failed to satisfy constraint: Member <constraint>", AWS's wording.
    func error(_ constraint: String) -> ServiceError {
        if components.isEmpty { return .invalidRequest("The request body \(constraint)") }
        return .invalidRequest("Value at '\(rendered)' failed to satisfy constraint: Member \(constraint)")
    }

    func plainError(_ message: String) -> ServiceError { .invalidRequest(message) }
}
