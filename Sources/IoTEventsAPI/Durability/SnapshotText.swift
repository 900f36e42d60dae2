import IoTEventsCore

/// `iotevents_snapshot` / `iotevents_restore`: the whole engine state (`Engine.writeSnapshot`,
/// the same body a state directory's snapshot file holds after its configuration) as one line of
/// text a host can store anywhere (an object store, a database column, a file).
///
///     base64( "IOTEVSTX" (8 bytes), format version (u32), body length (u64),
///             CRC-32C of the two fields before it and the body (u32), body )
///
/// The text is base64, not the raw bytes, because the ABI's strings are NUL-terminated and the
/// body holds zero bytes. A text that is not base64, is cut short, has another magic, a newer
/// format version or a checksum mismatch is refused whole, naming what is wrong: restoring a
/// partial state would answer calls from a state that never existed.
enum SnapshotText {
    static let magic: [UInt8] = Array("IOTEVSTX".utf8)
    static let formatVersion: UInt32 = 1
    static let headerBytes = 24

    static func encode(_ engine: Engine) -> String {
        var body = ByteWriter()
        engine.writeSnapshot(SnapshotModelCoder(), into: &body)
        var w = ByteWriter()
        w.reserve(headerBytes + body.bytes.count)
        w.raw(magic)
        w.u32(formatVersion)
        w.u64(UInt64(body.bytes.count))
        w.u32(SnapshotFile.checksum(w.bytes[8..<20], body.bytes))
        w.raw(body.bytes)
        return Base64.encode(w.bytes)
    }

    /// A new engine of `configuration` holding the state of `text` (its models compiled again
    /// under that configuration's limits).
    static func decode(_ text: UnsafePointer<CChar>, length: Int, configuration: EngineConfiguration) throws(ServiceError) -> Engine {
        let decoded = UnsafeRawPointer(text).withMemoryRebound(to: UInt8.self, capacity: length) {
            Base64.decode(UnsafeBufferPointer(start: $0, count: length))
        }
        guard let data = decoded else {
            throw .invalidRequest("The snapshot is not a libiotevents snapshot: it is not base64 text (\(length) characters)")
        }
        guard data.count >= headerBytes, Array(data[0..<8]) == magic else {
            throw .invalidRequest("The snapshot is not a libiotevents snapshot: it does not start with the snapshot header")
        }
        var r = ByteReader(data, from: 8, to: headerBytes)
        let version = (try? r.u32()) ?? 0
        let bodyLength = (try? r.u64()) ?? 0
        let checksum = (try? r.u32()) ?? 0
        guard version <= formatVersion else {
            throw .invalidRequest("The snapshot has format version \(version), written by a newer libiotevents; this one reads versions up to \(formatVersion)")
        }
        guard bodyLength == UInt64(data.count - headerBytes) else {
            throw .invalidRequest("The snapshot is truncated or damaged: it holds \(data.count - headerBytes) bytes of state, its header says \(bodyLength)")
        }
        let body = Array(data[headerBytes...])
        guard SnapshotFile.checksum(data[8..<20], body) == checksum else {
            throw .invalidRequest("The snapshot is damaged: its checksum does not match its contents")
        }
        let engine = Engine(configuration: configuration)
        var reader = ByteReader(body)
        do throws(ServiceError) {
            try engine.restoreSnapshot(SnapshotModelCoder(), from: &reader)
        } catch {
            // The core words it for a state directory; here the snapshot is the host's argument.
            throw .invalidRequest("The snapshot cannot be restored: \(error.message)")
        }
        return engine
    }
}
