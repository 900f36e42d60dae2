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
        // Every message passes here: a BatchPutMessage request proven valid by the quick check
        // skips the walk (anything it does not prove is walked, and any violation named, here).
        if shape == Operation.batchPutMessage.requestShape, BatchPutMessageShape.accepts(value) { return }
        try walk(value, shape: shape)
    }

    /// The generic walk of the shape, whatever the operation.
    static func walk(_ value: JSONValue, shape: SchemaShapeID) throws(ServiceError) {
        do throws(SchemaViolation) { try check(value, shape) } catch { throw error.serviceError }
    }

    // A valid request (nearly every one) is walked without keeping a path: a violation collects
    // its path on the way out, each enclosing member or list entry adding itself (keeping the
    // path on the way in cost ~200 instructions per BatchPutMessage entry).
    private static func check(_ value: JSONValue, _ id: SchemaShapeID) throws(SchemaViolation) {
        let shape = schemaShapes[id]
        switch shape.kind {
        case .structure:
            guard value.isObject else { throw SchemaViolation("must be a JSON object") }
            var requiredSeen = 0
            try value.forEachMember { (key, member) throws(SchemaViolation) in
                if member.isNull { return }
                guard let m = memberIndex(shape, key) else { throw SchemaViolation(unknownMember: String(cString: key)) }
                if schemaMembers[m].required { requiredSeen += 1 }
                do throws(SchemaViolation) { try check(member, schemaMembers[m].shape) } catch {
                    throw error.within(member: schemaMembers[m].name)
                }
            }
            // Each member appears once in a parsed object, so counting the required ones seen
            // tells whether one is missing without looking each up again.
            var requiredTotal = 0
            for m in shape.members where schemaMembers[m].required { requiredTotal += 1 }
            if requiredSeen == requiredTotal { return }
            for m in shape.members where schemaMembers[m].required {
                let name = schemaMembers[m].name
                if value[member: name.cString] == nil { throw SchemaViolation(missingMember: name) }
            }
        case .list:
            guard value.isArray else { throw SchemaViolation("must be a JSON array") }
            let n = value.count
            if shape.min >= 0, n < shape.min { throw SchemaViolation("must have at least \(shape.min) entries") }
            if shape.max >= 0, n > shape.max { throw SchemaViolation("must have at most \(shape.max) entries") }
            for i in 0..<n {
                guard let element = JSONValue(json_array_get(value.raw, i)) else { continue }
                do throws(SchemaViolation) {
                    if element.isNull { throw SchemaViolation("must not be null") }
                    try check(element, shape.element)
                } catch {
                    throw error.within(index: i)
                }
            }
        case .string:
            guard value.isString, let bytes = json_string_value(value.raw) else { throw SchemaViolation("must be a string") }
            let utf8 = UnsafeBufferPointer(
                start: UnsafeRawPointer(bytes).assumingMemoryBound(to: UInt8.self), count: json_string_length(value.raw))
            // Lengths count characters (Unicode scalars), not bytes.
            var length = 0
            for byte in utf8 where byte & 0xC0 != 0x80 { length += 1 }
            if shape.min >= 0, length < shape.min {
                throw SchemaViolation("must have length greater than or equal to \(shape.min)")
            }
            if shape.max >= 0, length > shape.max {
                throw SchemaViolation("must have length less than or equal to \(shape.max)")
            }
            if !shape.pattern.matches(utf8) {
                throw SchemaViolation("must satisfy regular expression pattern: \(shape.pattern.text)")
            }
            if shape.enumCount > 0 {
                var found = false
                for e in shape.enumValues where schemaEnumValues[e].bytes.elementsEqual(utf8) {
                    found = true
                }
                if !found {
                    var names: [String] = []
                    for e in shape.enumValues { names.append(schemaEnumValues[e].string) }
                    throw SchemaViolation("must satisfy enum value set: [\(names.joined(separator: ", "))]")
                }
            }
        case .integer, .long:
            guard let n = value.integer else { throw SchemaViolation("must be an integer") }
            // Smithy's integer is 32 bits; long is 64 (jansson already refuses anything larger).
            let lo = shape.min >= 0 ? shape.min : (shape.kind == .integer ? Int64(Int32.min) : Int64.min)
            let hi = shape.max >= 0 ? shape.max : (shape.kind == .integer ? Int64(Int32.max) : Int64.max)
            if n < lo { throw SchemaViolation("must be greater than or equal to \(lo)") }
            if n > hi { throw SchemaViolation("must be less than or equal to \(hi)") }
        case .double:
            guard value.isInteger || value.isReal else { throw SchemaViolation("must be a number") }
        case .boolean:
            guard value.isBoolean else { throw SchemaViolation("must be a boolean") }
        case .timestamp:
            guard value.isInteger || value.isReal else { throw SchemaViolation("must be a number (epoch seconds)") }
        case .blob:
            // Base64 text on the wire; the ABI also takes an already-decoded JSON object.
            guard value.isString || value.isObject else {
                throw SchemaViolation("must be a base64 string or a JSON object")
            }
        }
    }

    /// The member `key` names. The first byte tells most members apart (messageId, inputName,
    /// payload, timestamp): only a member that starts like the key is compared whole.
    private static func memberIndex(_ shape: SchemaShape, _ key: UnsafePointer<CChar>) -> Int? {
        let first = UInt8(bitPattern: key[0])
        for m in shape.members {
            let name = schemaMembers[m].name
            if let start = name.bytes.first, start != first { continue }
            if name.equals(key) { return m }
        }
        return nil
    }
}

/// The first violation in a request: what is wrong, and where (the enclosing members and list
/// entries, gathered innermost first as the walk unwinds; plain data, so nothing is retained).
struct SchemaViolation: Error {
    private enum Kind {
        case constraint(String)
        case unknownMember(String)
        case missingMember
    }

    private enum Component {
        case member(SchemaName)
        case index(Int)
    }

    private let kind: Kind
    private var components: [Component] = []

    init(_ constraint: String) { kind = .constraint(constraint) }
    init(unknownMember name: String) { kind = .unknownMember(name) }
    init(missingMember name: SchemaName) {
        kind = .missingMember
        components = [.member(name)]
    }

    consuming func within(member name: SchemaName) -> SchemaViolation {
        components.append(.member(name))
        return self
    }

    consuming func within(index i: Int) -> SchemaViolation {
        components.append(.index(i))
        return self
    }

    /// `a.b[2].c`, outermost first.
    private var path: String {
        var text = ""
        for component in components.reversed() {
            switch component {
            case .member(let name):
                if !text.isEmpty { text += "." }
                text += name.string
            case .index(let i):
                text += "[\(i)]"
            }
        }
        return text
    }

    /// AWS's wording: "Value at 'a.b' failed to satisfy constraint: Member <constraint>".
    var serviceError: ServiceError {
        switch kind {
        case .constraint(let constraint):
            if components.isEmpty { return .invalidRequest("The request body \(constraint)") }
            return .invalidRequest("Value at '\(path)' failed to satisfy constraint: Member \(constraint)")
        case .unknownMember(let name):
            let at = path
            return .invalidRequest("Unknown member '\(at.isEmpty ? name : at + "." + name)'")
        case .missingMember:
            return .invalidRequest("Missing required member '\(path)'")
        }
    }
}
