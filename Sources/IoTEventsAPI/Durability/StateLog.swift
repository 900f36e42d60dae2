import CLibcShim
import IoTEventsCore

/// The write-ahead log of a state directory: a header, then framed records.
///
///     header  "IOTEVLOG" (8 bytes), format version (u32), epoch (u64), CRC-32C of those 12 (u32)
///     record  body length (u32), CRC-32C of the length (u32), CRC-32C of the body (u32),
///             body: the log's epoch (u64), the record's sequence number (u64, from 1), a `LogRecord`
///
/// The epoch numbers the logs of a directory: a compaction writes a snapshot that covers the
/// current log's epoch, then starts an empty log of the next one (StateDirectory).
///
/// Records are only ever appended, each with one write. On open the log is read back: a last
/// record that ends early or fails its checksum is a write torn by a crash and is cut off; any
/// other damage is corruption, and the open fails rather than start from a silently older state.
/// The length has its own checksum so that a damaged length in the middle of the log is seen as
/// damage, not mistaken for a torn end that would silently drop the records after it. The epoch
/// and sequence in each record catch what checksums cannot: whole records removed from the start
/// or the middle, reordered, or copied in from another log (StateLog+Scan).
///
/// Formats 1 (no epoch or sequence in records) and 2 (no delivery markers) are still read, so
/// that a directory written by an older libiotevents opens; its log is then replaced at once by
/// a snapshot and a current log, and never appended to. (Format 3 added the delivery marker,
/// which an older libiotevents must refuse as a newer format rather than as damage.)
final class StateLog {
    static let fileName = "log"
    static let magic: [UInt8] = Array("IOTEVLOG".utf8)
    static let formatVersion: UInt32 = 3
    /// The oldest format still read.
    static let oldestFormatVersion: UInt32 = 1
    static let headerBytes = 24
    static let frameBytes = 12
    /// No record is larger: a request is at most limits.maxRequestBytes (at most 1 GiB), and
    /// the rest of a record is a few dozen bytes.
    static let maxBodyBytes = (1 << 30) + (1 << 20)

    private let fd: Int32
    /// The file's length: where the next record goes.
    private(set) var size: UInt64
    /// The epoch in the header, which every record repeats.
    let epoch: UInt64
    /// The sequence number the next record gets.
    private var nextSequence: UInt64
    /// The header's format version: only a current one is appended to.
    let version: UInt32
    /// Set when an append failed and could not be undone: the log may end in a partial record,
    /// so nothing more may be appended (state-changing calls then fail).
    private(set) var brokenReason: String?

    private init(fd: Int32, size: UInt64, epoch: UInt64, nextSequence: UInt64, version: UInt32) {
        self.fd = fd
        self.size = size
        self.epoch = epoch
        self.nextSequence = nextSequence
        self.version = version
    }

    deinit { ie_fd_close(fd) }

    /// Opens the log of `directory` and reads back its records; nil when there is no log file.
    /// (Whether a missing log is a new directory or a deleted log is for the caller to say: the
    /// log is always present once a directory has been opened.)
    static func open(directory: String) throws(ServiceError) -> (log: StateLog, records: [LoggedRecord])? {
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
        let scanned = try scan(data, path: path)
        var fd: Int32 = -1
        var size: UInt64 = 0
        let opened = ie_file_open_append(path, &fd, &size)
        guard opened == 0 else { throw StateLog.failure("cannot open \(path) for writing", opened) }
        let next = (scanned.records.last?.sequence ?? 0) + 1
        let log = StateLog(fd: fd, size: size, epoch: scanned.epoch, nextSequence: next, version: scanned.version)
        if Int(size) > scanned.validLength {
            // A torn last record: cut it off so that the next record follows the last whole one.
            try log.truncate(to: UInt64(scanned.validLength), what: "cutting the torn last record off \(path)")
        }
        return (log, scanned.records)
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
        return StateLog(fd: fd, size: size, epoch: epoch, nextSequence: 1, version: formatVersion)
    }

    /// Appends one record; with `sync`, it is on stable storage when this returns. On failure
    /// the log is cut back to where it was, so no partial record stays behind. Returns the
    /// record's sequence number.
    @discardableResult
    func append(_ record: LogRecord, sync: Bool) throws(ServiceError) -> UInt64 {
        if let brokenReason { throw ServiceError(.internalFailure, brokenReason) }
        guard version == StateLog.formatVersion else {
            throw ServiceError(.internalFailure, "the state log is of format version \(version), which is read but never appended to (it is replaced when the engine opens; that failed)")
        }
        var w = ByteWriter()
        w.u32(0)
        w.u32(0)
        w.u32(0)
        w.u64(epoch)
        w.u64(nextSequence)
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
        nextSequence += 1
        return nextSequence - 1
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
