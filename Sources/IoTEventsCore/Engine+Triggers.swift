/// Reads a looped-back message's payload text (an `iotEvents` action's payload) as the
/// `MessageSource` the core evaluates. The core holds no JSON parser: the API layer implements
/// this over jansson; a test can implement it over anything.
package protocol PayloadParser {
    associatedtype Source: MessageSource
    /// The payload as a source, or nil when the text is not a JSON object nested at most
    /// `maxDepth` deep.
    func parse(_ text: String, maxDepth: Int) -> Source?
}

/// What a call or a tick asks the engine to run.
package enum ExternalTrigger<Source: MessageSource> {
    /// Nothing but the expiries due by `time` (a tick, log replay of one, or a call's message
    /// that could not be read).
    case expiries(upTo: Millis)
    /// One message of `BatchPutMessage` (depth 0).
    case message(IncomingMessage, Source)
    /// One entry of an alarm operator call (`BatchAcknowledgeAlarm`, …).
    case alarmAction(Engine.AlarmActionRequest)
    /// One SiteWise property value, for every alarm model that reads the property (name order).
    case assetPropertyValue(AssetPropertyValue, assetId: String, propertyId: String, eventTime: Millis)
}

/// What running one trigger did.
package struct TriggerOutcome {
    /// Expiries fired before the trigger (they are due first).
    package var expiries: Int64 = 0
    /// The trigger's errors, for the caller's error entries: a message's or an alarm action's
    /// (at most one), a property value's (one per alarm model that refused it).
    package var errors: [ServiceError] = []
}

/// Trigger order, the heart of the semantics (§4.3 rule 4, §4.7): the expiries due by the
/// trigger's time come first, in due order, each followed by the loop-backs it sent; then the
/// trigger; then the loop-backs it sent, first in first out, including those they send in turn.
/// Every evaluating operation, `iotevents_tick` and log replay run through `process`.
extension Engine {
    /// Runs `trigger` to completion. Its time is the clock's now (for `.expiries`, `upTo`);
    /// moving the clock is the caller's business.
    package func process<Parser: PayloadParser>(
        _ trigger: ExternalTrigger<Parser.Source>, parser: Parser, output: inout RunOutput
    ) -> TriggerOutcome {
        var outcome = TriggerOutcome()
        switch trigger {
        case .expiries(let time):
            outcome.expiries = fireDueExpiries(at: time, parser, &output)
            return outcome
        case .message(let message, let source):
            return processMessage(message, source, parser: parser, output: &output)
        case .alarmAction(let request):
            outcome.expiries = fireDueExpiries(at: clock.now(), parser, &output)
            if let error = actOnAlarm(request, output: &output) {
                outcome.errors.append(error)
                traceRefusal(error, "alarm action \(request.action.rawValue) on \(request.modelName)", &output)
            }
        case .assetPropertyValue(let value, let assetId, let propertyId, let eventTime):
            outcome.expiries = fireDueExpiries(at: clock.now(), parser, &output)
            for model in alarmModels(readingProperty: propertyId) {
                if let error = deliverAssetPropertyValue(value, assetId: assetId, propertyId: propertyId, to: model,
                                                         eventTime: eventTime, output: &output) {
                    outcome.errors.append(error)
                    traceRefusal(error, "property value of asset \(assetId), property \(propertyId)", &output)
                }
            }
        }
        if !output.loopbacks.isEmpty { drainLoopbacks(parser, &output) }
        return outcome
    }

    /// `process(.message(message, source))` without the trigger enum, for BatchPutMessage's
    /// every message: the enum is generic over the source, and the API layer's calls into this
    /// module are not specialised, so each message instantiated its type metadata at run time.
    package func processMessage<Parser: PayloadParser>(
        _ message: IncomingMessage, _ source: Parser.Source, parser: Parser, output: inout RunOutput
    ) -> TriggerOutcome {
        var outcome = TriggerOutcome()
        outcome.expiries = fireDueExpiries(at: clock.now(), parser, &output)
        if let error = putMessage(message, source, output: &output) {
            outcome.errors.append(error)
            traceRefusal(error, "message \(message.messageId) on \(message.inputName)", &output)
        }
        if !output.loopbacks.isEmpty { drainLoopbacks(parser, &output) }
        return outcome
    }

    /// Fires the expiries due at or before `time`, in due order, while the call's evaluations
    /// stay under `maxEvaluationsPerCall`; returns how many fired. Expiries past the budget stay
    /// due (`nextDeadline()` is then at or before `time`) and fire at the next call or tick: a
    /// clock far ahead of a short self-re-arming timer has an expiry every period from the
    /// timer's deadline up to `time` (deadlines count from the due time), which at the end of
    /// time would never be done. A host that wants all of them ticks until nothing is due.
    private func fireDueExpiries<Parser: PayloadParser>(at time: Millis, _ parser: Parser, _ output: inout RunOutput) -> Int64 {
        var fired: Int64 = 0
        while output.evaluations < limits.maxEvaluationsPerCall, fireNextDueTimer(at: time, output: &output) {
            fired += 1
            if !output.loopbacks.isEmpty { drainLoopbacks(parser, &output) }
        }
        return fired
    }

    /// Delivers the queued loop-backs, first in first out, including those they queue in turn.
    /// The depth bound (`maxLoopbackDepth`) is enforced where they are queued; the evaluation
    /// budget (`maxEvaluationsPerCall`) both there and here. Callers skip it when none are queued:
    /// entering it fetches the parser's generic metadata (~330 instructions a message).
    private func drainLoopbacks<Parser: PayloadParser>(_ parser: Parser, _ output: inout RunOutput) {
        var next = 0
        while next < output.loopbacks.count {
            let loopback = output.loopbacks[next]
            next += 1
            // Depth alone does not bound fan-out (F actions per level run F^depth evaluations):
            // the call's evaluation budget does. A message is delivered whole or not at all.
            let cost = evaluationCount(forInput: loopback.inputName)
            if output.evaluations + cost > limits.maxEvaluationsPerCall {
                notDelivered(loopback, Limits.evaluationBudgetError(output.evaluations, limits), .limit, &output)
                continue
            }
            guard let source = parser.parse(loopback.payload, maxDepth: limits.maxJsonDepth) else {
                notDelivered(loopback, "not delivered: the payload is not a JSON object", .notDelivered, &output)
                continue
            }
            let message = IncomingMessage(
                inputName: loopback.inputName, messageId: loopback.messageId, timestamp: loopback.eventTime,
                depth: loopback.depth)
            if let error = putMessage(message, source, output: &output) {
                notDelivered(loopback, "not delivered: \(error.message)", .notDelivered, &output)
            }
        }
        output.loopbacks.removeAll()
    }
}
