import CJanssonShim
import CLibcShim
import IoTEventsCore

/// The outcome of one API call: an ABI status and a malloc'd JSON document (the response body on
/// success, an error document otherwise) that the receiver frees with `free`.
package struct CallResult {
    package let status: Int32
    package let body: UnsafeMutablePointer<CChar>?
    /// The actions the call executed, in execution order, for the host's handler: the caller
    /// writes each one's document (`ActionDocument.text`) after the engine lock is released, and
    /// only when a handler is there to receive it.
    package var actions: [ActionRecord] = []
    /// The call's log records, for the host's log handler (before the actions are delivered).
    package var traces: [TraceRecord] = []
    /// Where the call was logged, when it was and produced actions: the host confirms their
    /// delivery with `Service.confirmDelivered` once its handler has been handed all of them.
    package var delivery: LogPosition?
}

/// One engine behind its lock: turns request documents into core calls and core results into
/// response documents.
///
/// Parsing and validation happen outside the lock; only the core call and the encoding of its
/// result hold it, so threads sharing an engine contend only for the part that needs it.
package final class Service {
    /// Read and replaced (`restore`) only under the lock.
    private var engine: Engine
    /// The engine's configuration, which a restore keeps: read without the lock.
    package let configuration: EngineConfiguration
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// With `stateDirectory`: the directory, its lock and its write-ahead log.
    private let store: StateDirectory?
    /// The configuration document as given, which snapshots record: replay runs under the
    /// configuration the calls first ran under.
    private let configurationText: String
    /// Under the lock: the actions of logged calls and ticks the host's handler has not been
    /// confirmed to have: those recovered on open (until `redeliverable` hands them over), then
    /// those being handed over now. A snapshot keeps both (ActionDelivery).
    private var recovered: [UndeliveredActions]
    private var handingOver: [(position: LogPosition, actions: [ActionRecord])] = []

    /// Opens an engine from a configuration document (NULL means all defaults). With a state
    /// directory, the engine is rebuilt from its log before this returns.
    ///
    /// Everything that can fail happens before the object exists: in Embedded Swift a class
    /// initializer that throws leaks its allocation.
    package static func open(configuration text: UnsafePointer<CChar>?) throws(ServiceError) -> Service {
        let configuration = try ConfigurationDecoder.decode(text)
        let configurationText = text.map { String(cString: $0) } ?? "{}"
        var store: StateDirectory?
        var engine: Engine
        var undelivered: [UndeliveredActions] = []
        var compactNow = false
        if configuration.stateDirectory != nil {
            let (directory, recovery) = try StateDirectory.open(configuration)
            do throws(ServiceError) {
                (engine, undelivered) = try EngineRecovery.rebuild(recovery, configuration: configuration, text: configurationText)
            } catch {
                directory.close()
                throw ServiceError(.internalFailure, "State directory \(directory.path): \(error.message)")
            }
            store = directory
            // Start from a snapshot written under this configuration: later logs replay under it.
            // (And never append to a log of an older format.)
            compactNow = recovery.snapshot == nil || !recovery.records.isEmpty || recovery.configurationText != configurationText
                || recovery.logIsOldFormat
        } else {
            engine = Engine(configuration: configuration)
        }
        guard let mutex = ie_mutex_create() else {
            store?.close()
            throw ServiceError(.internalFailure, "Out of memory creating the engine lock")
        }
        let service = Service(engine: engine, mutex: mutex, store: store, configurationText: configurationText,
                              recovered: undelivered)
        if compactNow, let store { service.compact(store) }
        return service
    }

    private init(engine: Engine, mutex: UnsafeMutablePointer<pthread_mutex_t>, store: StateDirectory?, configurationText: String,
                 recovered: [UndeliveredActions]) {
        self.engine = engine
        self.configuration = engine.configuration
        self.mutex = mutex
        self.store = store
        self.configurationText = configurationText
        self.recovered = recovered
    }

    deinit { ie_mutex_destroy(mutex) }

    /// Releases the state directory (its last writes synced, its lock dropped). The engine must
    /// not be called afterwards. Without a state directory there is nothing to release.
    package func close() {
        lock()
        if let store, store.hasRecords, store.refusal == nil { compact(store) }
        store?.close()
        unlock()
    }

    /// Folds the log into a snapshot of the engine as it is now (under the lock). A failure
    /// leaves the log as it was: nothing is lost, the directory only grows until a later try.
    /// Never once the log failed: memory may hold a call the log lacks, which must not become
    /// durable after it was answered with a failure.
    private func compact(_ store: StateDirectory) {
        guard store.refusal == nil else { return }
        var undelivered = recovered
        for entry in handingOver {
            undelivered.append(UndeliveredActions(position: entry.position, documents: entry.actions.map { ActionDocument.text($0) }))
        }
        try? store.compact(EngineRecovery.snapshot(engine, configurationText: configurationText, undelivered: undelivered))
    }

    /// The actions recovered on open that no delivery marker confirmed, in log order: the host
    /// is handed them (EngineHandle), then confirms each record with `confirmDelivered`.
    package func redeliverable() -> [UndeliveredActions] {
        lock()
        defer { unlock() }
        return recovered
    }

    /// The host's handler has been handed every action of the call or tick logged at `position`:
    /// a delivery marker says so in the log (unsynced), and the next open will not hand them
    /// over again. Then a compaction, if the log has grown enough.
    package func confirmDelivered(_ position: LogPosition) {
        lock()
        defer { unlock() }
        if let index = handingOver.firstIndex(where: { $0.position == position }) {
            handingOver.remove(at: index)
        } else {
            recovered.confirm(position)
        }
        guard let store, store.refusal == nil else { return }
        store.appendMarker(.delivered(position, now: engine.clock.lastReading))
        if store.needsCompaction { compact(store) }
    }

    /// Runs the operation named `operation` (an AWS operation name) on `request`.
    package func call(_ operation: UnsafePointer<CChar>?, _ request: UnsafePointer<CChar>?) -> CallResult {
        guard let operation else { return Service.failure(.invalidRequest("The operation name is NULL")) }
        guard let op = Operation(name: operation) else {
            return Service.failure(ServiceError(.unsupportedOperation, "Unknown operation '\(String(cString: operation))'"))
        }
        return call(op, request)
    }

    package func call(_ op: Operation, _ request: UnsafePointer<CChar>?) -> CallResult {
        var output = RunOutput()
        var result: CallResult
        var delivery: LogPosition?
        do throws(ServiceError) {
            let body = try run(op, request, &output, &delivery)
            if let text = JSONText.dump(body) {
                result = CallResult(status: 0, body: text)
            } else {
                result = Service.failure(ServiceError(.internalFailure, "Out of memory writing the response"))
            }
            ie_json_decref(body)
        } catch {
            result = Service.failure(error)
        }
        result.actions = output.actions
        result.traces = output.traces
        result.delivery = delivery
        return result
    }

    private func run(_ op: Operation, _ request: UnsafePointer<CChar>?, _ output: inout RunOutput,
                     _ delivery: inout LogPosition?) throws(ServiceError) -> UnsafeMutablePointer<json_t> {
        let (document, length) = try parse(op, request)
        lock()
        defer {
            engine.count(output)
            unlock()
        }
        guard let store, op.changesState, let request else { return try Handlers.run(op, document, engine, &output) }
        // After a record could not be written, memory may hold a call the log does not: no
        // more state changes until a reopen rebuilds the engine from the log.
        if let refusal = store.refusal { throw refusal }
        // The call runs at one pinned instant, and is logged with it only once it has completed
        // in memory, before it is acknowledged. So a call that kills the process never reaches
        // the log (no later open replays it and dies the same way), and a call that throws
        // changed nothing and leaves no record.
        let now = engine.clock.now()
        engine.clock.pin(at: now)
        defer { engine.clock.unpin() }
        let body = try Handlers.run(op, document, engine, &output)
        let bytes = UnsafeRawPointer(request).assumingMemoryBound(to: UInt8.self)
        do throws(ServiceError) {
            let position = try store.append(.call(op, now: now, request: Array(UnsafeBufferPointer(start: bytes, count: length))))
            if !output.actions.isEmpty {
                handingOver.append((position, output.actions))
                delivery = position
            }
        } catch {
            // Not acknowledged, not durable: its actions are not delivered either.
            ie_json_decref(body)
            output = RunOutput()
            throw error
        }
        if store.needsCompaction { compact(store) }
        return body
    }

    /// The request parsed and checked against the operation's service-model shape (no lock
    /// needed); also returns its length in bytes.
    private func parse(_ op: Operation, _ request: UnsafePointer<CChar>?) throws(ServiceError) -> (JSONDocument, Int) {
        try Service.parse(op, request, limits: configuration.limits)
    }

    static func parse(_ op: Operation, _ request: UnsafePointer<CChar>?, limits: Limits) throws(ServiceError) -> (JSONDocument, Int) {
        if let reason = op.unsupportedReason {
            throw ServiceError(.unsupportedOperation, "\(op.nameString) is not supported by this version of libiotevents: \(reason)")
        }
        guard let request else { throw .invalidRequest("The request document is NULL") }
        let length = strnlen_bounded(request, limits.maxRequestBytes)
        if length > limits.maxRequestBytes {
            throw .invalidRequest("The request is larger than \(limits.maxRequestBytes) bytes (limit maxRequestBytes)")
        }
        let document = try JSONDocument.parse(request, length: length, maxDepth: limits.maxJsonDepth, what: "The request")
        try SchemaValidator.validate(document.root, shape: op.requestShape)
        return (document, length)
    }

    /// The whole state as snapshot text (`iotevents_snapshot`): taken under the lock, so it is
    /// the state between two calls, never inside one.
    package func snapshotText() -> String {
        lock()
        defer { unlock() }
        return SnapshotText.encode(engine)
    }

    /// Replaces the whole state with that of a snapshot (`iotevents_restore`). The snapshot is
    /// decoded into a new engine of this configuration first, so a snapshot refused changes
    /// nothing. A durable engine refuses: its state directory would no longer hold its state.
    package func restore(_ text: UnsafePointer<CChar>?) throws(ServiceError) {
        if let store {
            throw .invalidRequest("The snapshot cannot be restored into an engine with a stateDirectory (\(store.path)): restore into an in-memory engine")
        }
        guard let text else { throw .invalidRequest("The snapshot is NULL") }
        let restored = try SnapshotText.decode(text, length: strlen(text), configuration: configuration)
        lock()
        defer { unlock() }
        engine = restored
    }

    /// Moves the clock to `nowMillis` (negative: the system clock's now; with the manual clock,
    /// "now" stays where it is) and processes every expiry due by then. Returns how many, and
    /// the action documents they produced; -IOTEVENTS_INTERNAL_FAILURE when a durable engine
    /// could not log the step, or refuses state changes since an earlier write failed. A logged
    /// step that produced actions also returns its position, for `confirmDelivered`.
    package func tick(_ nowMillis: Int64) -> TickResult {
        var output = RunOutput()
        lock()
        defer {
            engine.count(output)
            unlock()
        }
        let current = engine.clock.now()
        let now = nowMillis >= 0 ? max(nowMillis, current) : current
        guard let store else {
            engine.clock.advance(to: now)
            let count = engine.process(.expiries(upTo: now), parser: JanssonPayloadParser(), output: &output).expiries
            return TickResult(count: count, output: output)
        }
        // Logged only when it changes something: the manual clock moves or expiries fire.
        let fires = (engine.nextDeadline() ?? Int64.max) <= now
        guard fires || now > current else { return TickResult(count: 0) }
        // Like a call: refused once the log failed, logged after it ran. A failure is returned,
        // not swallowed, or timers would stop silently on a full disk.
        let failed = -Int64(ServiceError.Kind.internalFailure.rawValue)
        if store.refusal != nil { return TickResult(count: failed) }
        engine.clock.pin(at: now)
        let count = engine.process(.expiries(upTo: now), parser: JanssonPayloadParser(), output: &output).expiries
        engine.clock.unpin()
        let position: LogPosition
        do throws(ServiceError) { position = try store.append(.tick(now: now)) } catch {
            output = RunOutput()
            return TickResult(count: failed)
        }
        var result = TickResult(count: count, output: output)
        if !output.actions.isEmpty {
            handingOver.append((position, output.actions))
            result.delivery = position
        }
        if store.needsCompaction { compact(store) }
        return result
    }

    /// Tells the engine whether the host receives log records (a log handler is set).
    package func setHostReceivesLogs(_ receives: Bool) {
        lock()
        engine.hostReceivesLogs = receives
        unlock()
    }

    /// The engine's counters (`iotevents_counters`) as a JSON document.
    package func counters() -> String {
        lock()
        defer { unlock() }
        let storage = store.map { (logBytes: Int64($0.logBytes), snapshotBytes: Int64($0.snapshotBytes)) }
        return engine.countersDocument(storage: storage)
    }

    /// The deadline the timer thread sleeps to: none while the engine refuses state changes
    /// (each wake-up would be refused at once, and the thread would spin).
    package func timerThreadDeadline() -> Int64 {
        lock()
        defer { unlock() }
        if store?.refusal != nil { return -1 }
        return engine.nextDeadline() ?? -1
    }

    /// Epoch ms of the earliest pending expiry, or -1.
    package func nextDeadline() -> Int64 {
        lock()
        defer { unlock() }
        return engine.nextDeadline() ?? -1
    }

    private func lock() { ie_mutex_lock(mutex) }
    private func unlock() { ie_mutex_unlock(mutex) }

    /// An error result carrying the error document of `error`.
    package static func failure(_ error: ServiceError) -> CallResult {
        CallResult(status: error.kind.rawValue, body: errorText(error))
    }

    /// The error document of `error` as a malloc'd string.
    package static func errorText(_ error: ServiceError) -> UnsafeMutablePointer<CChar>? {
        guard let document = ErrorDocument.make(error) else { return nil }
        defer { ie_json_decref(document) }
        return JSONText.dump(document)
    }
}

/// What a tick did: how many expiries fired (or -IOTEVENTS_INTERNAL_FAILURE), their actions and
/// log records, and where it was logged when it produced actions (for `confirmDelivered`).
package struct TickResult {
    package let count: Int64
    package var actions: [ActionRecord] = []
    package var traces: [TraceRecord] = []
    package var delivery: LogPosition?

    init(count: Int64) {
        self.count = count
    }

    init(count: Int64, output: RunOutput) {
        self.count = count
        self.actions = output.actions
        self.traces = output.traces
    }
}
