import CLibcShim
import IoTEventsCore

/// The write-ahead log of a state directory: a header, then framed records.
///
///     header  "IOTEVLOG" (8 bytes), format version (u32), epoch (u64), CRC-32C of those 12 (u32)
///     record  body length (u32), CRC-32C of the length (u32), CRC-32C of the body (u32),
///             body (a `LogRecord`)
///
/// The epoch numbers the logs of a directory: a compaction writes a snapshot that covers the
/// current log's epoch, then starts an empty log of the next one (StateDirectory).
///
/// Records are only ever appended, each with one write. On open the log is read back: a last
/// record that ends early or fails its checksum is a write torn by a crash and is cut off; any
/// other damage is corruption, and the open fails rather than start from a silently older state.
/// The length has its own checksum so that a damaged length in the middle of the log is seen as
/// damage, not mistaken for a torn end that would silently drop the records after it.
final class StateLog {
    static let fileName = "log"
    static let magic: [UInt8] = Array("IOTEVLOG".utf8)
    static let formatVersion: UInt32 = 1
    static let headerBytes = 24
    static let frameBytes = 12
    /// No record is larger: a request is at most limits.maxRequestBytes (at most 1 GiB), and
    /// the rest of a record is a few dozen bytes.
    static let maxBodyBytes = (1 << 30) + (1 << 20)

    private let fd: Int32
    /// The file's length: where the next record goes.
    private(set) var size: UInt64
    /// Set when an append failed and could not be undone: the log may end in a partial record,
    /// so nothing more may be appended (state-changing calls then fail).
    private(set) var brokenReason: String?

    private init(fd: Int32, size: UInt64) {
        self.fd = fd
        self.size = size
    }

    deinit { ie_fd_close(fd) }

    /// Opens (creating, as epoch 1) the log of `directory` and reads back its records.
    static func open(directory: String) throws(ServiceError) -> (log: StateLog, epoch: UInt64, records: [LoggedRecord]) {
        let path = directory + "/" + fileName
        var raw: UnsafeMutablePointer<UInt8>?
        var length = 0
        let rc = ie_file_read(path, &raw, &length)
        guard rc == 0, let raw else {
            guard rc == IE_FILE_MISSING /* a new directory */ else { throw StateLog.failure("cannot read \(path)", rc) }
            return (try create(directory: directory, epoch: 1), 1, [])
        }
        let data = Array(UnsafeBufferPointer(start: raw, count: length))
        free(raw)
        let scanned = try scan(data, path: path)
        guard let epoch = scanned.epoch else {
            // An empty file: nothing was ever logged in it.
            return (try create(directory: directory, epoch: 1), 1, [])
        }
        var fd: Int32 = -1
        var size: UInt64 = 0
        let opened = ie_file_open_append(path, &fd, &size)
        guard opened == 0 else { throw StateLog.failure("cannot open \(path) for writing", opened) }
        let log = StateLog(fd: fd, size: size)
        if Int(size) > scanned.validLength {
            // A torn last record: cut it off so that the next record follows the last whole one.
            try log.truncate(to: UInt64(scanned.validLength), what: "cutting the torn last record off \(path)")
        }
        return (log, epoch, scanned.records)
    }

    /// Replaces the log of `directory` by an empty one of `epoch` (atomically: a crash leaves
    /// the old log or the new one) and opens it for appending.
    static func create(directory: String, epoch: UInt64) throws(ServiceError) -> StateLog {
        var header = ByteWriter()
        header.raw(magic)
        header.u32(formatVersion)
        header.u64(epoch)
        header.u32(CRC32C.checksum(header.bytes[8..<20]))
        let written = header.bytes.withUnsafeBytes { ie_file_replace(directory, fileName, $0.baseAddress, $0.count) }
        guard written == 0 else { throw StateLog.failure("cannot write \(directory)/\(fileName)", written) }
        var fd: Int32 = -1
        var size: UInt64 = 0
        let opened = ie_file_open_append(directory + "/" + fileName, &fd, &size)
        guard opened == 0 else { throw StateLog.failure("cannot open \(directory)/\(fileName) for writing", opened) }
        return StateLog(fd: fd, size: size)
    }

    /// The epoch, records and valid length of a log file; no epoch for an empty file. (The
    /// header is written by an atomic replace, so it is never torn: a damaged one is corruption.)
    static func scan(_ data: [UInt8], path: String) throws(ServiceError) -> (epoch: UInt64?, records: [LoggedRecord], validLength: Int) {
        if data.isEmpty { return (nil, [], 0) }
        guard data.count >= headerBytes, Array(data[0..<8]) == magic else {
            throw corrupt(path, 0, "it is not a libiotevents state log")
        }
        var header = ByteReader(data, from: 8, to: headerBytes)
        let version = (try? header.u32()) ?? 0
        let epoch = (try? header.u64()) ?? 0
        let checksum = (try? header.u32()) ?? 0
        guard version <= formatVersion else {
            throw ServiceError(.internalFailure, "State directory log \(path) has format version \(version), written by a newer libiotevents; this one reads versions up to \(formatVersion)")
        }
        guard CRC32C.checksum(data[8..<20]) == checksum else { throw corrupt(path, 8, "a header checksum mismatch") }
        var records: [LoggedRecord] = []
        var offset = headerBytes
        while offset < data.count {
            if data.count - offset < frameBytes { break } // torn inside the frame header
            var frame = ByteReader(data, from: offset, to: offset + frameBytes)
            let bodyLength = Int((try? frame.u32()) ?? 0)
            let lengthCheck = (try? frame.u32()) ?? 0
            let checksum = (try? frame.u32()) ?? 0
            if CRC32C.checksum(data[offset..<(offset + 4)]) != lengthCheck {
                // Zeros where a record should start are a tail the crash never wrote.
                if data[offset...].allSatisfy({ $0 == 0 }) { break }
                throw corrupt(path, offset, "a record length that fails its checksum")
            }
            guard bodyLength >= 9, bodyLength <= maxBodyBytes else {
                throw corrupt(path, offset, "a record length of \(bodyLength)")
            }
            let recordEnd = offset + frameBytes + bodyLength
            if recordEnd > data.count { break } // torn: the record ends early
            let body = data[(offset + frameBytes)..<recordEnd]
            if CRC32C.checksum(body) != checksum {
                if recordEnd == data.count { break } // the last record, torn
                throw corrupt(path, offset, "a checksum mismatch")
            }
            var reader = ByteReader(data, from: offset + frameBytes, to: recordEnd)
            do throws(ByteReadError) {
                records.append(LoggedRecord(record: try LogRecord.decode(&reader), sequence: UInt64(records.count + 1), offset: offset))
            } catch {
                throw corrupt(path, error.offset, "a record that cannot be read (\(error.reason))")
            }
            offset = recordEnd
        }
        return (epoch, records, offset)
    }

    /// Appends one record; with `sync`, it is on stable storage when this returns. On failure
    /// the log is cut back to where it was, so no partial record stays behind.
    func append(_ record: LogRecord, sync: Bool) throws(ServiceError) {
        if let brokenReason { throw ServiceError(.internalFailure, brokenReason) }
        var w = ByteWriter()
        w.u32(0)
        w.u32(0)
        w.u32(0)
        record.encode(into: &w)
        let bodyLength = w.bytes.count - StateLog.frameBytes
        w.patchU32(UInt32(bodyLength), at: 0)
        w.patchU32(CRC32C.checksum(w.bytes[0..<4]), at: 4)
        w.patchU32(CRC32C.checksum(w.bytes[StateLog.frameBytes...]), at: 8)
        let before = size
        do throws(ServiceError) {
            try write(w.bytes, what: "writing to the state log")
            if sync { try self.sync() }
        } catch {
            undo(to: before)
            throw error
        }
    }

    /// Cuts the log back to `length` (a record whose call then failed, or a failed append).
    func undo(to length: UInt64) {
        if ie_file_truncate(fd, length) == 0 {
            size = length
        } else {
            brokenReason = "The state log could not be repaired after a failed write; reopen the engine"
        }
    }

    func sync() throws(ServiceError) {
        let rc = ie_file_sync(fd)
        guard rc == 0 else { throw StateLog.failure("cannot sync the state log", rc) }
    }

    private func write(_ bytes: [UInt8], what: String) throws(ServiceError) {
        let rc = bytes.withUnsafeBytes { ie_file_write(fd, $0.baseAddress, $0.count) }
        guard rc == 0 else { throw StateLog.failure(what, rc) }
        size += UInt64(bytes.count)
    }

    private func truncate(to length: UInt64, what: String) throws(ServiceError) {
        let rc = ie_file_truncate(fd, length)
        guard rc == 0 else { throw StateLog.failure(what, rc) }
        size = length
    }

    static func failure(_ what: String, _ errno: Int32) -> ServiceError {
        ServiceError(.internalFailure, "State directory: \(what): \(String(cString: ie_errno_text(errno)))")
    }

    static func corrupt(_ path: String, _ offset: Int, _ what: String) -> ServiceError {
        ServiceError(.internalFailure, "State directory log \(path) is corrupt at byte \(offset): \(what); the engine will not start from a partial state (restore the directory from a backup, or move it away to start empty)")
    }
}
