/// The engine's own log records (those an instance's cycle does not write itself): refused
/// messages and alarm actions, duplicates, loop-back messages not delivered.
extension Engine {
    /// Appends a record tied to no instance when `level` is logged engine-wide.
    func traceEngine(_ level: TraceLevel, _ event: String, _ message: @autoclosure () -> String, _ output: inout RunOutput,
                     _ members: (inout JSONWriter) -> Void = { _ in }) {
        guard level.passes(tracePolicy.level) else { return }
        var document = TraceDocument(level: level, time: clock.now(), event: event, message: message())
        document.members(members)
        output.trace(document.finish())
    }

    /// A per-entry error of a call (ERROR): its kind and message, and what it refused.
    func traceRefusal(_ error: ServiceError, _ what: @autoclosure () -> String, _ output: inout RunOutput) {
        output.refuse(error.kind)
        traceEngine(.error, "requestRefused", "\(what()) refused: \(error.message)", &output) { w in
            w.key("errorCode"); w.value(error.kind.typeName)
            w.key("errorMessage"); w.value(error.message)
        }
    }

    /// An `iotEvents` action whose message was not delivered: its action document says why, and
    /// the detector's log (ERROR) does too.
    func notDelivered(_ loopback: LoopbackMessage, _ reason: String, _ failure: ActionFailure, _ output: inout RunOutput) {
        output.actions[loopback.actionIndex].error = reason
        output.failures.add(failure)
        let source = output.actions[loopback.actionIndex].source
        guard TraceLevel.error.passes(tracePolicy.level(model: source.modelName, key: source.keyValue ?? "")) else { return }
        var document = TraceDocument(level: .error, time: clock.now(), event: "actionFailed", message: "iotEvents was not executed: \(reason)")
        document.subject(source)
        document.members { w in
            w.key("actionType"); w.value("iotEvents")
            w.key("failure"); w.value(failure.name)
            w.key("reason"); w.value(reason)
            w.key("messageId"); w.value(loopback.messageId)
        }
        output.trace(document.finish())
    }

    /// By input attribute slot of `version`, whether the input declares the attribute: with
    /// `inputProjection: "declared"`, what explains an Undefined reference.
    func declaredAttributes(_ version: DetectorModelVersion) -> [Bool] {
        var declared: [Bool] = []
        for reference in version.compiled.symbols.inputAttributes {
            declared.append(inputs[reference.inputName].map { reference.isDeclared(by: $0.attributes) } ?? true)
        }
        return declared
    }
}
