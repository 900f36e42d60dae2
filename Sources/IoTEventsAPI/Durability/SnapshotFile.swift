import CLibcShim
import IoTEventsCore

/// A state directory's snapshot: the whole engine state (`Engine.writeSnapshot`) as of the end
/// of one log epoch.
///
///     "IOTEVSNP" (8 bytes), format version (u32), the log epoch it covers (u64),
///     body length (u64), CRC-32C of the three fields before it and the body (u32), body
///
/// The body (EngineRecovery.snapshot): format 1, the configuration document it was written
/// under, then the engine; format 2 puts the actions not yet handed to the host's handler
/// between the two (ActionDelivery), so that a compaction keeps them; format 3 adds the
/// detector model analyses kept at the end of the engine's part. Formats 1 and 2 are still read.
///
/// It is only ever replaced whole (written beside, synced, renamed over), so it is either the
/// old snapshot or the new one; a checksum that does not match is corruption, never a crash.
enum SnapshotFile {
    static let fileName = "snapshot"
    static let magic: [UInt8] = Array("IOTEVSNP".utf8)
    static let formatVersion: UInt32 = 3
    static let headerBytes = 32

    /// The snapshot of `directory`, or nil when it has none.
    static func read(directory: String) throws(ServiceError) -> (covers: UInt64, version: UInt32, body: [UInt8])? {
        let path = directory + "/" + fileName
        var raw: UnsafeMutablePointer<UInt8>?
        var length = 0
        let rc = ie_file_read(path, &raw, &length)
        guard rc == 0, let raw else {
            if rc == IE_FILE_MISSING { return nil }
            throw StateLog.failure("cannot read \(path)", rc)
        }
        let data = Array(UnsafeBufferPointer(start: raw, count: length))
        free(raw)
        guard data.count >= headerBytes, Array(data[0..<8]) == magic else {
            throw corrupt(path, "it is not a libiotevents snapshot")
        }
        var r = ByteReader(data, from: 8, to: headerBytes)
        let version = (try? r.u32()) ?? 0
        let covers = (try? r.u64()) ?? 0
        let bodyLength = (try? r.u64()) ?? 0
        let checksum = (try? r.u32()) ?? 0
        guard version <= formatVersion else {
            throw ServiceError(.internalFailure, "State directory snapshot \(path) has format version \(version), written by a newer libiotevents; this one reads versions up to \(formatVersion)")
        }
        guard bodyLength == UInt64(data.count - headerBytes) else {
            throw corrupt(path, "it holds \(data.count - headerBytes) bytes of state, its header says \(bodyLength)")
        }
        let body = Array(data[headerBytes...])
        guard SnapshotFile.checksum(data[8..<28], body) == checksum else { throw corrupt(path, "a checksum mismatch") }
        return (covers, version, body)
    }

    /// Replaces the snapshot of `directory` (synced, with the directory, before this returns).
    static func write(directory: String, covers: UInt64, body: [UInt8]) throws(ServiceError) {
        var w = ByteWriter()
        w.reserve(headerBytes + body.count)
        w.raw(magic)
        w.u32(formatVersion)
        w.u64(covers)
        w.u64(UInt64(body.count))
        w.u32(SnapshotFile.checksum(w.bytes[8..<28], body))
        w.raw(body)
        let rc = w.bytes.withUnsafeBytes { ie_file_replace(directory, fileName, $0.baseAddress, $0.count) }
        guard rc == 0 else { throw StateLog.failure("cannot write \(directory)/\(fileName)", rc) }
    }

    /// Over the header's fields too: a damaged epoch must not pass for another one.
    static func checksum(_ fields: ArraySlice<UInt8>, _ body: [UInt8]) -> UInt32 {
        var all = Array(fields)
        all.append(contentsOf: body)
        return CRC32C.checksum(all)
    }

    static func corrupt(_ path: String, _ what: String) -> ServiceError {
        ServiceError(.internalFailure, "State directory snapshot \(path) is corrupt: \(what); the engine will not start from a partial state (restore the directory from a backup, or move it away to start empty)")
    }
}
