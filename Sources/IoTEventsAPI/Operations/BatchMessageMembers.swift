import CJanssonShim

/// The members of one `BatchPutMessage` entry, read in one pass over its object: looking each
/// up by name hashed the name four times a message (the id once more for the batch's id check).
///
/// The request has been validated against its shape, which refuses any other member, so each
/// member is known by its first byte (the four differ there) without comparing its name: that
/// was ~6 name comparisons a message.
struct BatchMessageMembers {
    var messageId: JSONValue?
    var inputName: JSONValue?
    var payload: JSONValue?
    var timestamp: JSONValue?

    init(_ message: JSONValue) {
        message.forEachMember { key, value in
            switch UInt8(bitPattern: key[0]) {
            case 0x6D: messageId = value // m
            case 0x69: inputName = value // i
            case 0x70: payload = value // p
            case 0x74: timestamp = value // t
            default: break
            }
        }
    }
}
