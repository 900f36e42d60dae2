import CJanssonShim
import CLibcShim

/// BatchPutMessage's request shape, checked the quick way. Every message of every call passes
/// the shape check, and the generic walk of the service model (`SchemaValidator`) cost ~1 300
/// instructions a message: looking each member up in the shape's table, a call per member.
///
/// This check only ever *accepts*: it answers true for a request it can prove valid (messages
/// whose members are each of the four the shape names, not `null`, and plainly within the
/// shape's lengths, patterns and ranges) and false for anything else — a violation, but also a
/// `null` member or anything unusual — and then the generic walk decides, naming the violation
/// exactly as before. So a gap here costs speed, never a wrong answer.
///
/// Bounds and patterns are read from the schema tables, not restated, and the check switches
/// itself off (accepts nothing) if the shape is not the one it knows.
enum BatchPutMessageShape {
    static func accepts(_ request: JSONValue) -> Bool {
        guard let shape = known else { return false }
        guard request.isObject, let only = json_object_iter(request.raw),
              json_object_iter_next(request.raw, only) == nil,
              keyIs(only, "messages"), let messages = JSONValue(json_object_iter_value(only)),
              messages.isArray
        else { return false }
        let n = json_array_size(messages.raw)
        if n < shape.minMessages { return false }
        for i in 0..<n {
            guard let message = JSONValue(json_array_get(messages.raw, i)), accepts(message: message, shape) else { return false }
        }
        return true
    }

    private static func accepts(message: JSONValue, _ shape: Bounds) -> Bool {
        guard message.isObject else { return false }
        var required = 0
        var member = json_object_iter(message.raw)
        while let it = member {
            guard let value = JSONValue(json_object_iter_value(it)) else { return false }
            if keyIs(it, "messageId") {
                guard string(value, shape.messageId) else { return false }
                required += 1
            } else if keyIs(it, "inputName") {
                guard string(value, shape.inputName) else { return false }
                required += 1
            } else if keyIs(it, "payload") {
                guard value.isString || value.isObject else { return false }
                required += 1
            } else if keyIs(it, "timestamp") {
                guard timestamp(value, shape) else { return false }
            } else {
                return false
            }
            member = json_object_iter_next(message.raw, it)
        }
        return required == 3 // each key appears once in a parsed object
    }

    /// A string within its length bounds that matches its pattern. Every pattern here admits
    /// ASCII only, so once it matches, bytes are characters.
    private static func string(_ value: JSONValue, _ rule: StringRule) -> Bool {
        guard value.isString, let bytes = json_string_value(value.raw) else { return false }
        let count = json_string_length(value.raw)
        guard count >= rule.min, count <= rule.max else { return false }
        return rule.pattern.matches(UnsafeRawBufferPointer(start: bytes, count: count).bindMemory(to: UInt8.self))
    }

    /// `{"timeInMillis": n}` with n in range, or `{}`.
    private static func timestamp(_ value: JSONValue, _ shape: Bounds) -> Bool {
        guard value.isObject else { return false }
        var member = json_object_iter(value.raw)
        while let it = member {
            guard keyIs(it, "timeInMillis"), let n = JSONValue(json_object_iter_value(it))?.integer,
                  n >= shape.millisMin, n <= shape.millisMax
            else { return false }
            member = json_object_iter_next(value.raw, it)
        }
        return true
    }

    private static func keyIs(_ it: UnsafeMutableRawPointer, _ name: StaticString) -> Bool {
        guard json_object_iter_key_len(it) == name.utf8CodeUnitCount, let key = json_object_iter_key(it) else { return false }
        return memcmp(key, name.utf8Start, name.utf8CodeUnitCount) == 0
    }

    // MARK: The shape, read from the schema

    struct StringRule {
        let min: Int
        let max: Int
        let pattern: SchemaPattern
    }

    struct Bounds {
        let minMessages: Int
        let messageId: StringRule
        let inputName: StringRule
        let millisMin: Int64
        let millisMax: Int64
    }

    /// The shape's bounds, or nil when the schema's BatchPutMessageRequest is not the shape this
    /// check was written for (then it accepts nothing and the generic walk checks every request).
    static let known: Bounds? = read()

    private static func read() -> Bounds? {
        let request = schemaShapes[Operation.batchPutMessage.requestShape]
        guard request.kind == .structure, request.count == 1 else { return nil }
        let messagesMember = schemaMembers[Int(request.first)]
        let list = schemaShapes[messagesMember.shape]
        guard messagesMember.name.string == "messages", messagesMember.required,
              list.kind == .list, list.max < 0 else { return nil }
        let message = schemaShapes[list.element]
        guard message.kind == .structure, message.count == 4 else { return nil }
        var id: StringRule?, input: StringRule?, payload = false, millis: (Int64, Int64)?
        for m in message.members {
            let member = schemaMembers[m]
            let shape = schemaShapes[member.shape]
            switch (member.name.string, member.required) {
            case ("messageId", true): id = stringRule(shape)
            case ("inputName", true): input = stringRule(shape)
            case ("payload", true): payload = shape.kind == .blob
            case ("timestamp", false): millis = millisRange(shape)
            default: return nil
            }
        }
        guard let id, let input, payload, let millis else { return nil }
        return Bounds(minMessages: Int(max(list.min, 0)), messageId: id, inputName: input, millisMin: millis.0, millisMax: millis.1)
    }

    /// A string shape with both bounds, no enum, and an ASCII-only pattern.
    private static func stringRule(_ shape: SchemaShape) -> StringRule? {
        let asciiOnly: [SchemaPattern] = [.idCharacters, .identifier, .keyValue, .dataInputName]
        guard shape.kind == .string, shape.enumCount == 0, shape.min >= 0, shape.max >= 0,
              asciiOnly.contains(shape.pattern) else { return nil }
        return StringRule(min: Int(shape.min), max: Int(shape.max), pattern: shape.pattern)
    }

    /// A structure whose one optional member `timeInMillis` is a long.
    private static func millisRange(_ shape: SchemaShape) -> (Int64, Int64)? {
        guard shape.kind == .structure, shape.count == 1 else { return nil }
        let member = schemaMembers[Int(shape.first)]
        let millis = schemaShapes[member.shape]
        guard member.name.string == "timeInMillis", !member.required, millis.kind == .long else { return nil }
        return (millis.min >= 0 ? millis.min : Int64.min, millis.max >= 0 ? millis.max : Int64.max)
    }
}
