/// Where a message's data comes from. The API layer implements it over the payload's `json_t`,
/// so attributes are read straight from the document into expression values.
package protocol MessageSource {
    /// The scalar at `path` (Undefined when a step is missing or the value is not a scalar).
    func attribute(at path: [PathStep]) -> ExpressionValue
    /// The key value at `path` in the raw payload (§2.2), or why there is none.
    func keyValue(at path: AttributePath) -> (key: String?, problem: String?)
}

/// One message to route: from `BatchPutMessage` (depth 0) or looped back by an `iotEvents` action.
package struct IncomingMessage: Sendable {
    package var inputName: String
    package var messageId: String
    /// `timestamp.timeInMillis`, if the message had one: the event time of its evaluation.
    package var timestamp: Millis?
    package var depth: Int

    package init(inputName: String, messageId: String, timestamp: Millis?, depth: Int) {
        self.inputName = inputName
        self.messageId = messageId
        self.timestamp = timestamp
        self.depth = depth
    }
}

/// BatchPutMessage's processing of one message (docs/behaviour.md §1.5, §1.6, §2.2, §2.3, §6.1).
extension Engine {
    /// Delivers the message to every detector model and then every alarm model that references
    /// its input, creating detectors and alarms as needed, and runs each detector's evaluation cycle. Returns the error for the
    /// message's error entry, if any. A key problem with one model does not keep the message from
    /// the others (§2.2); a message whose `messageId` was accepted within the de-duplication
    /// window is ignored (§6.1).
    func putMessage<Source: MessageSource>(_ message: IncomingMessage, _ source: Source, output: inout RunOutput) -> ServiceError? {
        guard let route = route(forInput: message.inputName) else {
            return .notFound("Input \(message.inputName) does not exist")
        }
        let now = clock.now()
        let window = Millis(0).adding(seconds: Int64(limits.dedupWindowSeconds))
        if message.depth == 0, !deduplicator.claim(message.messageId, now: now, window: window) {
            output.duplicateMessages += 1
            traceEngine(.debug, "duplicateMessage", "Message \(message.messageId) on \(message.inputName) ignored: the same messageId was accepted within \(limits.dedupWindowSeconds) s", &output) { w in
                w.key("inputName"); w.value(message.inputName)
                w.key("messageId"); w.value(message.messageId)
            }
            return nil
        }
        let eventTime = message.timestamp ?? now
        var failure: ServiceError?
        for target in route.detectorTargets {
            if let error = deliver(message, source, input: route.input, to: target, now: now, eventTime: eventTime, output: &output), failure == nil {
                failure = error
            }
        }
        for model in route.alarmModels {
            if let error = deliver(message, source, input: route.input, to: model, now: now, eventTime: eventTime, output: &output), failure == nil {
                failure = error
            }
        }
        if message.depth == 0 {
            if failure == nil {
                output.messagesAccepted += 1
                deduplicator.settle(maxEntries: limits.maxDedupEntries)
            } else {
                deduplicator.withdraw(message.messageId)
            }
        }
        return failure
    }

    /// How many evaluations a message on `inputName` runs: one per model that reads the input.
    func evaluationCount(forInput inputName: String) -> Int {
        (detectorModels.routes[inputName]?.count ?? 0) + (alarmModels.routes[inputName]?.count ?? 0)
    }

    private func deliver<Source: MessageSource>(
        _ message: IncomingMessage, _ source: Source, input: Input, to target: DetectorTarget,
        now: Millis, eventTime: Millis, output: inout RunOutput
    ) -> ServiceError? {
        let model = target.model
        let version = model.latest
        let (key, keyError) = Engine.instanceKey(source, model.key, noun: DetectorModelKind.noun, name: model.name)
        if let keyError { return keyError }
        var created = false
        let slot: Int
        if let existing = model.detectors.slot(of: key) {
            slot = existing
        } else {
            if model.detectors.count >= limits.maxDetectorsPerModel {
                return .invalidRequest("Detector model \(model.name) already has \(model.detectors.count) detectors (limit maxDetectorsPerModel = \(limits.maxDetectorsPerModel))")
            }
            slot = model.detectors.insert(Detector(key: key, version: version, now: now))
            created = true
        }
        guard var detector = model.detectors.take(slot) else { return nil }
        project(source, input: input, inputId: target.inputId, references: version.compiled.symbols.inputAttributes, into: &detector.attributes)
        detector.lastUpdateTime = now
        let trigger = Trigger.message(
            input: target.inputId, inputName: message.inputName,
            messageId: message.messageId)
        // Moved, not copied: a copy shares the detector's buffers, and the cycle's first
        // setVariable or timer change then copies them (~800 instructions a message).
        run(model, version, consume detector, at: slot, trigger: trigger, eventTime: eventTime, now: now,
            depth: message.depth, created: created, output: &output)
        return nil
    }

    /// Runs one cycle on the detector taken out of `slot`, puts it back and queues its new timers.
    /// The detector and the call's output move into the cycle and back out of it (consumed,
    /// swapped): copying them retained and released each of their buffers twice per evaluation.
    func run(_ model: DetectorModel, _ version: DetectorModelVersion, _ detector: consuming Detector, at slot: Int,
             trigger: Trigger, eventTime: Millis, now: Millis, depth: Int, created: Bool, output: inout RunOutput) {
        output.evaluations += 1
        let trace = tracePolicy.level == nil ? nil : tracePolicy.level(model: model.name, key: detector.key)
        var cycle = DetectorCycle(
            model: model, version: version, detector: detector, trigger: trigger, eventTime: eventTime,
            now: now, limits: limits, depth: depth, output: RunOutput(),
            nextGeneration: nextTimerGeneration, sequence: executionSequence, trace: trace)
        // Only `inputProjection: "declared"` hides attributes; otherwise every reference is visible.
        if trace != nil, configuration.inputProjection == .declared { cycle.declaredAttributes = declaredAttributes(version) }
        swap(&cycle.output, &output)
        cycle.run(created: created)
        swap(&output, &cycle.output)
        nextTimerGeneration = cycle.nextGeneration
        executionSequence = cycle.sequence
        runningTimers += cycle.runningDelta
        let ran = cycle.takeDetector()
        let key = ran.key
        model.detectors.put(ran, at: slot)
        for armed in cycle.armed {
            timerQueue.push(deadline: armed.deadline, sequence: armed.generation,
                            TimerEntry(model: model, key: key, slot: slot, timer: armed.timer, generation: armed.generation))
        }
        sweepStaleTimerEntries()
    }
}
