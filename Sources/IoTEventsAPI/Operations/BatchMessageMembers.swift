import CJanssonShim

/// The members of one `BatchPutMessage` entry, read in one pass over its object: looking each
/// up by name hashed the name four times a message (the id once more for the batch's id check).
/// The request has been validated against its shape, so each member is known to be what it says.
struct BatchMessageMembers {
    var messageId: JSONValue?
    var inputName: JSONValue?
    var payload: JSONValue?
    var timestamp: JSONValue?

    init(_ message: JSONValue) {
        message.forEachMember { key, value in
            if StaticStrings.equal("messageId", key) {
                messageId = value
            } else if StaticStrings.equal("inputName", key) {
                inputName = value
            } else if StaticStrings.equal("payload", key) {
                payload = value
            } else if StaticStrings.equal("timestamp", key) {
                timestamp = value
            }
        }
    }
}
