import CJanssonShim
import IoTEventsCore

/// Rebuilding an engine from its state directory: the snapshot, then the log replayed on it,
/// under the configuration the logged calls first ran under; then, if the engine is being opened
/// with another configuration (other limits, say), its state moved over to an engine of that one.
enum EngineRecovery {
    /// A snapshot's body: the configuration document it was written under, the actions not yet
    /// handed to the host's handler (ActionDelivery), then the engine.
    static func snapshot(_ engine: Engine, configurationText: String, undelivered: [UndeliveredActions] = []) -> [UInt8] {
        var writer = ByteWriter()
        writer.string(configurationText)
        UndeliveredActions.write(undelivered, into: &writer)
        engine.writeSnapshot(SnapshotModelCoder(), into: &writer)
        return writer.bytes
    }

    /// The engine as the directory left it, and the actions of its logged calls and ticks that
    /// no delivery marker confirms, in log order (the snapshot's first).
    static func rebuild(_ recovery: StateDirectory.Recovery, configuration: EngineConfiguration,
                        text: String) throws(ServiceError) -> (engine: Engine, undelivered: [UndeliveredActions]) {
        var engine = Engine(configuration: configuration)
        // Where the clock of a newly opened engine starts (the configured start; for the system
        // clock the wall clock too): the state runs at its own instants, then moves on to this.
        let opened = engine.clock.lastReading
        if recovery.snapshot == nil, let first = recovery.records.first {
            engine.clock.rewind(to: first.record.time)
        }
        var undelivered: [UndeliveredActions] = []
        if let snapshot = recovery.snapshot {
            var reader = ByteReader(snapshot)
            guard let recordedText = try? reader.string() else {
                throw ServiceError(.internalFailure, "the snapshot's configuration cannot be read")
            }
            if recovery.snapshotVersion >= 2 {
                do throws(ByteReadError) {
                    undelivered = try UndeliveredActions.read(&reader)
                } catch {
                    throw ServiceError(.internalFailure, "the snapshot's undelivered actions cannot be read at byte \(error.offset): \(error.reason)")
                }
            }
            if recordedText != text { engine = Engine(configuration: try decode(recordedText)) }
            try engine.restoreSnapshot(SnapshotModelCoder(), from: &reader)
        }
        // A log of an older format has no delivery markers: its actions were all handed over
        // (or lost) under the old rule, never to be handed over again.
        try replay(recovery.records, epoch: recovery.logEpoch, into: engine, undelivered: &undelivered,
                   collecting: !recovery.logIsOldFormat)
        if let recordedText = recovery.configurationText, recordedText != text {
            engine = try move(engine, to: configuration)
        }
        engine.clock.advance(to: opened)
        return (engine, undelivered)
    }

    /// Runs the logged calls again, each at its instant. The actions of a record no delivery
    /// marker confirms are kept in `undelivered` (the host's handler may never have seen them);
    /// the others are discarded (it saw them when the calls first ran). Only calls that had
    /// succeeded were logged, so a call that fails now means the engine would diverge from what
    /// was acknowledged: the open fails, naming the record, rather than start from another state.
    static func replay(_ records: [LoggedRecord], epoch: UInt64, into engine: Engine,
                       undelivered: inout [UndeliveredActions], collecting: Bool = true) throws(ServiceError) {
        for logged in records {
            var output = RunOutput()
            switch logged.record {
            case .delivered(let position, _):
                undelivered.confirm(position)
                continue
            case .call(let op, let now, let request):
                engine.clock.pin(at: now)
                defer { engine.clock.unpin() }
                var failure: ServiceError?
                var text = request
                text.append(0)
                text.withUnsafeBufferPointer { buffer in
                    guard let base = buffer.baseAddress else { return }
                    base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { c in
                        do throws(ServiceError) {
                            let (document, _) = try Service.parse(op, c, limits: engine.limits)
                            let body = try Handlers.run(op, document, engine, &output)
                            ie_json_decref(body)
                        } catch { failure = error }
                    }
                }
                if let failure {
                    throw ServiceError(.internalFailure, "log record \(logged.sequence) of \(records.count) (at byte \(logged.offset) of the log, \(op.nameString)) failed when replayed: \(failure.message); the engine will not start from a state other than the one acknowledged")
                }
            case .tick(let now):
                engine.clock.pin(at: now)
                _ = engine.process(.expiries(upTo: now), parser: JanssonPayloadParser(), output: &output)
                engine.clock.unpin()
            }
            if collecting, !output.actions.isEmpty {
                let position = LogPosition(epoch: epoch, sequence: logged.sequence)
                undelivered.append(UndeliveredActions(position: position, documents: output.actions.map { ActionDocument.text($0) }))
            }
        }
    }

    /// The same state in an engine of another configuration (its models compiled again under
    /// that configuration's limits, which may refuse them: then the open fails, naming the model).
    static func move(_ engine: Engine, to configuration: EngineConfiguration) throws(ServiceError) -> Engine {
        var writer = ByteWriter()
        engine.writeSnapshot(SnapshotModelCoder(), into: &writer)
        let moved = Engine(configuration: configuration)
        var reader = ByteReader(writer.bytes)
        try moved.restoreSnapshot(SnapshotModelCoder(), from: &reader)
        return moved
    }

    private static func decode(_ text: String) throws(ServiceError) -> EngineConfiguration {
        var result: EngineConfiguration?
        var failure: ServiceError?
        text.withCString { c in
            do throws(ServiceError) { result = try ConfigurationDecoder.decode(c) } catch { failure = error }
        }
        if let failure { throw ServiceError(.internalFailure, "the configuration the state was written under is no longer valid: \(failure.message)") }
        guard let result else { throw ServiceError(.internalFailure, "the configuration the state was written under cannot be read") }
        return result
    }
}
