import CLibcShim
import IoTEventsCore

/// A state directory (`stateDirectory`): the lock that keeps a second engine out (a flock on the
/// directory itself, which no stale-lock cleaner can unlink), the snapshot, and the write-ahead
/// log of every state-changing call since, synced as `durability` says.
///
///     <dir>/snapshot  the engine's whole state at the end of log epoch E (SnapshotFile)
///     <dir>/log       the calls since: log epoch E + 1 (StateLog)
///
/// Compaction writes a new snapshot covering the current epoch, then replaces the log by an
/// empty one of the next epoch. A crash between the two leaves a log the snapshot covers; open
/// recognises it by its epoch and starts a fresh one, so no call is ever applied twice.
final class StateDirectory {
    /// What open found: the snapshot's engine state (if any), then the calls to replay on it.
    struct Recovery {
        var snapshot: [UInt8]?
        /// The snapshot's format version (SnapshotFile): what its body holds.
        var snapshotVersion: UInt32 = SnapshotFile.formatVersion
        var records: [LoggedRecord]
        /// The epoch of the log `records` come from: with their sequence numbers, what delivery
        /// markers name.
        var logEpoch: UInt64 = 1
        /// The log is of an older format, read but never appended to: it must be replaced (by a
        /// compaction) before the engine takes calls.
        var logIsOldFormat = false
        /// The configuration document the snapshot was written under (the head of its body).
        var configurationText: String? {
            guard let snapshot else { return nil }
            var reader = ByteReader(snapshot)
            return try? reader.string()
        }
    }

    let path: String
    /// Replaced by compaction; the flusher reads it under syncMutex.
    private var log: StateLog
    private var epoch: UInt64
    /// The log size that triggers a compaction: the configured size, or the last snapshot's
    /// size when larger (so compaction work stays proportional to the calls logged).
    private var compactAt: UInt64
    private let configuredCompactAt: UInt64
    private let lockFD: Int32
    private let durability: EngineConfiguration.Durability
    private let window: Int64
    /// groupCommit: the thread that syncs written records within `window`.
    private var flusher: OpaquePointer?
    private let syncMutex: UnsafeMutablePointer<pthread_mutex_t>
    /// groupCommit, under syncMutex: when the oldest unsynced record was written (nil: all synced),
    /// and a sync failure the flusher met, which the next append reports.
    private var unsyncedSince: Int64?
    private var syncFailure: ServiceError?
    private var closed = false

    private init(path: String, log: StateLog, epoch: UInt64, lockFD: Int32, configuration: EngineConfiguration,
                 syncMutex: UnsafeMutablePointer<pthread_mutex_t>) {
        self.path = path
        self.log = log
        self.epoch = epoch
        self.configuredCompactAt = UInt64(configuration.snapshotLogBytes)
        self.compactAt = UInt64(configuration.snapshotLogBytes)
        self.lockFD = lockFD
        self.durability = configuration.durability
        self.window = configuration.groupCommitMillis
        self.syncMutex = syncMutex
    }

    /// Opens the directory (creating it), takes its lock, and reads the snapshot and the log.
    static func open(_ configuration: EngineConfiguration) throws(ServiceError) -> (StateDirectory, Recovery) {
        guard let path = configuration.stateDirectory else {
            throw ServiceError(.internalFailure, "No state directory is configured")
        }
        let made = ie_dir_ensure(path)
        guard made == 0 else { throw StateLog.failure("cannot create \(path)", made) }
        var lockFD: Int32 = -1
        let locked = ie_lock_directory(path, &lockFD)
        if locked == IE_FILE_LOCKED {
            throw ServiceError(.resourceInUse, "State directory \(path) is in use by another engine (one engine per directory)")
        }
        guard locked == 0 else { throw StateLog.failure("cannot lock \(path)", locked) }
        let opened: (log: StateLog, epoch: UInt64, recovery: Recovery)
        do throws(ServiceError) {
            opened = try recover(path)
        } catch {
            ie_fd_close(lockFD)
            throw error
        }
        guard let mutex = ie_mutex_create() else {
            ie_fd_close(lockFD)
            throw ServiceError(.internalFailure, "Out of memory opening the state directory")
        }
        let directory = StateDirectory(path: path, log: opened.log, epoch: opened.epoch, lockFD: lockFD,
                                       configuration: configuration, syncMutex: mutex)
        if let snapshot = opened.recovery.snapshot {
            directory.compactAt = max(directory.configuredCompactAt, UInt64(snapshot.count))
            directory.snapshotBytes = UInt64(SnapshotFile.headerBytes + snapshot.count)
        }
        if configuration.durability == .groupCommit && !directory.startFlusher() {
            directory.close()
            throw ServiceError(.internalFailure, "Could not start the state directory's sync thread")
        }
        return (directory, opened.recovery)
    }

    /// Matches the log to the snapshot by epoch: the log after the snapshot is replayed, a log
    /// the snapshot already covers (a crash inside a compaction) is replaced by a fresh one, and
    /// anything else is damage that would lose acknowledged calls.
    ///
    /// The log is always present once a directory has been opened: the first open creates it
    /// before anything else, and a compaction replaces it atomically (a rename), after the
    /// snapshot. So no log at all is a new directory only when there is no snapshot either;
    /// beside a snapshot it is a deleted log.
    private static func recover(_ path: String) throws(ServiceError) -> (log: StateLog, epoch: UInt64, recovery: Recovery) {
        let snapshot = try SnapshotFile.read(directory: path)
        guard let opened = try StateLog.open(directory: path) else {
            if let snapshot {
                throw ServiceError(.internalFailure, "State directory \(path) has a snapshot (covering log epoch \(snapshot.covers)) but no log: the log of the calls after it was deleted; the engine will not start from a partial state (restore the directory from a backup, or move it away to start empty)")
            }
            return (try StateLog.create(directory: path, epoch: 1), 1, Recovery(snapshot: nil, records: [], logEpoch: 1))
        }
        let epoch = opened.log.epoch
        let covered = snapshot?.covers ?? 0
        // An epoch counts compactions: 2^62 of them cannot happen, so a larger one is damage
        // (with a valid checksum) — and below it, epoch + 1 can never overflow.
        let epochLimit: UInt64 = 1 << 62
        if epoch >= epochLimit || covered >= epochLimit {
            throw ServiceError(.internalFailure, "State directory \(path) names log epoch \(epoch) and snapshot epoch \(covered); an epoch beyond 2^62 is damage, not a count of compactions; the engine will not start from a partial state")
        }
        let rewrite = opened.log.version != StateLog.formatVersion
        if epoch == covered + 1 {
            return (opened.log, epoch, Recovery(snapshot: snapshot?.body, snapshotVersion: snapshot?.version ?? SnapshotFile.formatVersion,
                                                records: opened.records, logEpoch: epoch, logIsOldFormat: rewrite))
        }
        if snapshot != nil, epoch == covered {
            let fresh = try StateLog.create(directory: path, epoch: covered + 1)
            return (fresh, covered + 1, Recovery(snapshot: snapshot?.body, snapshotVersion: snapshot?.version ?? SnapshotFile.formatVersion,
                                                 records: [], logEpoch: covered + 1))
        }
        if snapshot == nil {
            throw ServiceError(.internalFailure, "State directory \(path) has a log of epoch \(epoch) but no snapshot: the snapshot it continues is missing; the engine will not start from a partial state")
        }
        if epoch < covered {
            throw ServiceError(.internalFailure, "State directory \(path) has a log of epoch \(epoch) but its snapshot covers epoch \(covered): the log is older than its snapshot, the log of epoch \(covered + 1) is missing; the engine will not start from a partial state")
        }
        throw ServiceError(.internalFailure, "State directory \(path) has a log of epoch \(epoch) but its snapshot covers epoch \(covered): the snapshot is older than its log; the engine will not start from a partial state")
    }

    /// Set by the first append that fails (the call it recorded ran in memory but is not in the
    /// log) or by a compaction that wrote its snapshot but could not start the next log: every
    /// later append is refused until the engine is reopened from the directory.
    private(set) var refusal: ServiceError?

    /// Writes the record of a call that has run, before it is acknowledged. `always`: synced
    /// before this returns. A failure refuses this and every later append. Returns where the
    /// record is, which its delivery marker names.
    @discardableResult
    func append(_ record: LogRecord) throws(ServiceError) -> LogPosition {
        if let refusal { throw refusal }
        do throws(ServiceError) {
            return LogPosition(epoch: epoch, sequence: try write(record))
        } catch {
            let refused = ServiceError(.internalFailure, "State directory \(path): a call could not be logged (\(error.message)) and is not durable; this engine refuses state-changing calls and ticks until it is reopened (reads still answer)")
            refusal = refused
            throw refused
        }
    }

    /// Writes a delivery marker, not synced whatever `durability` says: a marker lost to a power
    /// cut only makes the next open hand its actions over again. A failure is ignored for the
    /// same reason, and refuses nothing (the marker changes no state).
    func appendMarker(_ record: LogRecord) {
        guard refusal == nil else { return }
        if durability == .groupCommit {
            _ = try? write(record)
        } else {
            _ = try? log.append(record, sync: false)
        }
    }

    private func write(_ record: LogRecord) throws(ServiceError) -> UInt64 {
        guard durability == .groupCommit else { return try log.append(record, sync: true) }
        ie_mutex_lock(syncMutex)
        let failure = syncFailure
        ie_mutex_unlock(syncMutex)
        if let failure { throw failure }
        let sequence = try log.append(record, sync: false)
        ie_mutex_lock(syncMutex)
        let wasClean = unsyncedSince == nil
        if wasClean { unsyncedSince = ie_clock_now_millis() }
        ie_mutex_unlock(syncMutex)
        if wasClean, let flusher { ie_timer_thread_notify(flusher) }
        return sequence
    }

    /// Whether the log has grown enough to be folded into a snapshot.
    var needsCompaction: Bool { log.size >= compactAt }

    /// The sizes of the log and of the last snapshot written or read, in bytes (the counters').
    var logBytes: UInt64 { log.size }
    private(set) var snapshotBytes: UInt64 = 0

    /// Whether the log holds any record (a compaction on close is then worth it).
    var hasRecords: Bool { log.size > UInt64(StateLog.headerBytes) }

    /// Folds the log into `snapshot` (the engine's state now): writes it as covering the current
    /// epoch, then starts an empty log of the next one. If the snapshot could not be written the
    /// log goes on as it was (and the next attempt waits until it has doubled). But once a
    /// snapshot covering this epoch is in place, nothing more may go into this log: the next
    /// open discards a log its snapshot covers, and with it every call appended since. So if the
    /// next log cannot be started, the engine refuses state changes until it is reopened.
    func compact(_ snapshot: [UInt8]) throws(ServiceError) {
        do throws(ServiceError) {
            try SnapshotFile.write(directory: path, covers: epoch, body: snapshot)
            snapshotBytes = UInt64(SnapshotFile.headerBytes + snapshot.count)
        } catch {
            // The rename may have happened before the failure (syncing the directory, say).
            if (try? SnapshotFile.read(directory: path))?.covers != epoch {
                compactAt = max(compactAt, log.size) * 2
                throw error
            }
        }
        let fresh: StateLog
        do throws(ServiceError) {
            fresh = try StateLog.create(directory: path, epoch: epoch + 1)
        } catch {
            let refused = ServiceError(.internalFailure, "State directory \(path): a snapshot was written but the next log could not be started (\(error.message)); this engine refuses state-changing calls and ticks until it is reopened (reads still answer)")
            refusal = refused
            throw refused
        }
        ie_mutex_lock(syncMutex)
        log = fresh
        unsyncedSince = nil  // the snapshot is synced, and covers everything written
        ie_mutex_unlock(syncMutex)
        epoch += 1
        compactAt = max(configuredCompactAt, UInt64(snapshot.count))
    }

    /// Stops the sync thread, syncs what is written and releases the directory. Idempotent.
    func close() {
        guard !closed else { return }
        closed = true
        if let flusher {
            self.flusher = nil
            ie_timer_thread_stop(flusher)
        }
        try? log.sync()
        ie_fd_close(lockFD)
    }

    deinit {
        close()
        ie_mutex_destroy(syncMutex)
    }

    // -- group commit ---------------------------------------------------------------------------

    private func startFlusher() -> Bool {
        let context = Unmanaged.passRetained(self).toOpaque()
        guard let thread = ie_timer_thread_start(flusherBody, context) else {
            Unmanaged<StateDirectory>.fromOpaque(context).release()
            return false
        }
        flusher = thread
        return true
    }

    /// When the flusher must next sync: the oldest unsynced write plus the window; -1 = none.
    fileprivate func nextSyncDeadline() -> Int64 {
        ie_mutex_lock(syncMutex)
        defer { ie_mutex_unlock(syncMutex) }
        guard let since = unsyncedSince else { return -1 }
        return since + window
    }

    /// Syncs if the oldest unsynced write has waited its window. The sync runs outside the
    /// mutex, so calls go on appending meanwhile (their records are covered by the next sync).
    fileprivate func syncIfDue() {
        ie_mutex_lock(syncMutex)
        let due = unsyncedSince.map { ie_clock_now_millis() >= $0 + window } ?? false
        if due { unsyncedSince = nil }
        let current = log
        ie_mutex_unlock(syncMutex)
        guard due else { return }
        do throws(ServiceError) {
            try current.sync()
        } catch {
            ie_mutex_lock(syncMutex)
            syncFailure = error
            ie_mutex_unlock(syncMutex)
        }
    }
}

private func flusherBody(_ thread: OpaquePointer?, _ context: UnsafeMutableRawPointer?) {
    guard let thread, let context else { return }
    let directory = Unmanaged<StateDirectory>.fromOpaque(context)
    while ie_timer_thread_wait(thread, directory.takeUnretainedValue().nextSyncDeadline()) != 0 {
        directory.takeUnretainedValue().syncIfDue()
    }
    directory.release()
}
