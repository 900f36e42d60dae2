import CJanssonShim
import IoTEventsCore

/// A message payload as the core's `MessageSource`: attributes and the key read straight from
/// the payload's `json_t`.
struct PayloadSource: MessageSource {
    let payload: MessagePayload

    func attribute(at path: [PathStep]) -> ExpressionValue {
        InputAttributeReader.value(in: payload.root, at: path)
    }

    func keyValue(at path: AttributePath) -> (key: String?, problem: String?) {
        payload.keyValue(at: path)
    }
}

/// The core's `PayloadParser`: a looped-back payload's text parsed by jansson.
struct JanssonPayloadParser: PayloadParser {
    func parse(_ text: String, maxDepth: Int) -> PayloadSource? {
        MessagePayload.parse(text: text, maxDepth: maxDepth).map { PayloadSource(payload: $0) }
    }
}
