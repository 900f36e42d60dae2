import IoTEventsCore

/// Drives the core through one call's worth of triggers: timer expiries in due order, and the
/// messages `iotEvents` actions loop back, each after the trigger that sent it has been fully
/// processed and before the next one (§4.7). Loop-back payloads are JSON text, so they are
/// parsed here, at the edge.
enum MessageRunner {
    /// Processes the queued loop-backs, first in first out, including those they queue in turn.
    /// The depth bound (`maxLoopbackDepth`) is enforced where they are queued; the evaluation
    /// budget (`maxEvaluationsPerCall`) both there and here.
    static func drainLoopbacks(_ engine: Engine, _ output: inout RunOutput) {
        var next = 0
        while next < output.loopbacks.count {
            let loopback = output.loopbacks[next]
            next += 1
            // Depth alone does not bound fan-out (F actions per level run F^depth evaluations):
            // the call's evaluation budget does. A message is delivered whole or not at all.
            let cost = engine.evaluationCount(forInput: loopback.inputName)
            if output.evaluations + cost > engine.limits.maxEvaluationsPerCall {
                output.actions[loopback.actionIndex].error = Limits.evaluationBudgetError(output.evaluations, engine.limits)
                continue
            }
            guard let payload = MessagePayload.parse(text: loopback.payload, maxDepth: engine.limits.maxJsonDepth) else {
                output.actions[loopback.actionIndex].error = "not delivered: the payload is not a JSON object"
                continue
            }
            let message = IncomingMessage(
                inputName: loopback.inputName, messageId: loopback.messageId, timestamp: loopback.eventTime,
                depth: loopback.depth)
            if let error = engine.putMessage(message, PayloadSource(payload: payload), output: &output) {
                output.actions[loopback.actionIndex].error = "not delivered: \(error.message)"
            }
        }
        output.loopbacks.removeAll()
    }

    /// Fires the timers due at or before `time`, in due order, while the call's evaluations stay
    /// under `maxEvaluationsPerCall`; returns how many fired. Expiries past the budget stay due
    /// (`nextDeadline()` is then at or before `time`) and fire at the next call or tick: a clock
    /// far ahead of a short self-re-arming timer has an expiry every period from the timer's
    /// deadline up to `time` (deadlines count from the due time), which at the end of time
    /// would never be done. A host that wants all of them ticks until nothing is due.
    static func fireDueTimers(_ engine: Engine, at time: Millis, _ output: inout RunOutput) -> Int64 {
        var fired: Int64 = 0
        while output.evaluations < engine.limits.maxEvaluationsPerCall, engine.fireNextDueTimer(at: time, output: &output) {
            fired += 1
            drainLoopbacks(engine, &output)
        }
        return fired
    }
}
