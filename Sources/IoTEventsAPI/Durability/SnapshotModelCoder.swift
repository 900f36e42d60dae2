import CJanssonShim
import CLibcShim
import IoTEventsCore

/// Model requests in a snapshot: the request document CreateDetectorModel / CreateAlarmModel
/// take, written by the encoders DescribeDetectorModel / DescribeAlarmModel use and read back by
/// the create path's own decoder, so a restored version is the version that was created.
struct SnapshotModelCoder: ModelRequestCoder {
    func encode(_ request: DetectorModelRequest) -> [UInt8] {
        var body = JSONObject()
        body.set("detectorModelName", request.name)
        body.set("detectorModelDefinition", object: DetectorModelEncoder.definition(request.definition))
        body.set("detectorModelDescription", request.description)
        body.set("roleArn", request.roleArn)
        body.set("evaluationMethod", request.evaluationMethod == .serial ? "SERIAL" : "BATCH")
        return SnapshotModelCoder.text(body.take())
    }

    func encode(_ request: AlarmModelRequest) -> [UInt8] {
        var body = JSONObject()
        AlarmModelOperations.requestMembers(request, key: nil, into: &body)
        return SnapshotModelCoder.text(body.take())
    }

    func decodeDetectorModel(_ bytes: [UInt8]) throws(ServiceError) -> DetectorModelRequest {
        let document = try SnapshotModelCoder.parse(bytes)
        return try DetectorModelOperations.modelRequest(document.root)
    }

    func decodeAlarmModel(_ bytes: [UInt8]) throws(ServiceError) -> AlarmModelRequest {
        let document = try SnapshotModelCoder.parse(bytes)
        return try AlarmModelOperations.modelRequest(document.root)
    }

    private static func text(_ value: UnsafeMutablePointer<json_t>?) -> [UInt8] {
        guard let value else { return [] }
        defer { ie_json_decref(value) }
        guard let text = JSONText.dump(value) else { return [] }
        defer { free(text) }
        return Array(UnsafeBufferPointer(start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: strlen(text)))
    }

    private static func parse(_ bytes: [UInt8]) throws(ServiceError) -> JSONDocument {
        var text = bytes
        text.append(0)
        var result: JSONDocument?
        var failure: ServiceError?
        text.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { c in
                do throws(ServiceError) {
                    result = try JSONDocument.parse(c, length: bytes.count, maxDepth: 4096, what: "A snapshot model")
                } catch { failure = error }
            }
        }
        if let failure { throw failure }
        guard let result else { throw ServiceError(.internalFailure, "A snapshot model could not be read") }
        return result
    }
}
