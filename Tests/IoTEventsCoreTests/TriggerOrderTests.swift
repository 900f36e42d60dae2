import Testing
@testable import IoTEventsCore

/// Trigger order (§4.3 rule 4, §4.7) run by the core alone: payloads come from a parser of a
/// toy format, no JSON library involved.
@Suite struct TriggerOrderTests {
    /// A payload `from=<text>` (key `k` = `a`); anything else does not parse.
    struct ToySource: MessageSource {
        var from: String
        func attribute(at path: [PathStep]) -> ExpressionValue {
            switch path {
            case [.member("from")]: .string(from)
            case [.member("k")]: .string("a")
            default: .undefined
            }
        }
        func keyValue(at path: AttributePath) -> (key: String?, problem: String?) { ("a", nil) }
    }

    struct ToyParser: PayloadParser {
        func parse(_ text: String, maxDepth: Int) -> ToySource? {
            guard text.hasPrefix("from=") else { return nil }
            return ToySource(from: String(text.dropFirst(5)))
        }
    }

    static func loopback(_ text: String) -> ActionDefinition {
        .external(ExternalActionDefinition(kind: .iotEvents, parameters: [ActionParameter(name: "inputName", value: .text("Echo"))],
                                           payload: PayloadDefinition(contentExpression: "'\(text)'", type: .string)))
    }

    /// `pinger` (key k) arms a 1 s timer on creation; its expiry and each Go message loop back
    /// to Echo (a message sends two, the second nested one level deeper through `echo`);
    /// `echo` answers every Echo message with a lambda action carrying `from`.
    static func engine(maxEvaluations: Int = 1000) throws -> Engine {
        var configuration = EngineConfiguration()
        configuration.clock = .manual
        configuration.startTimeMillis = 1_000_000
        configuration.limits.minTimerSeconds = 1
        configuration.limits.maxEvaluationsPerCall = maxEvaluations
        let engine = Engine(configuration: configuration)
        _ = try engine.createInput(InputDefinition(name: "Go", description: nil, attributes: [AttributePath("k")]), tags: [])
        _ = try engine.createInput(InputDefinition(name: "Echo", description: nil, attributes: [AttributePath("from")]), tags: [])
        let pinger = DetectorModelDefinition(states: [StateDefinition(
            stateName: "S",
            onEnter: [EventDefinition(eventName: "arm", condition: nil, actions: [.setTimer(name: "t", seconds: 1, durationExpression: nil)])],
            onInput: [
                EventDefinition(eventName: "expired", condition: "timeout(\"t\")", actions: [loopback("from=timer")]),
                EventDefinition(eventName: "go", condition: "currentInput(\"Go\")", actions: [loopback("from=go1"), loopback("from=go2"), loopback("not a payload")]),
            ])], initialStateName: "S")
        let lambda = ExternalActionDefinition(kind: .lambda, parameters: [ActionParameter(name: "functionArn", value: .text("arn:aws:lambda:us-east-1:1:function:f"))],
                                              payload: PayloadDefinition(contentExpression: "$input.Echo.from", type: .string))
        let echo = DetectorModelDefinition(states: [StateDefinition(
            stateName: "E",
            onInput: [
                EventDefinition(eventName: "heard", condition: "currentInput(\"Echo\")", actions: [.external(lambda)]),
                EventDefinition(eventName: "again", condition: "$input.Echo.from == \"go1\"", actions: [loopback("from=go1-echo")]),
            ])], initialStateName: "E")
        let role = "arn:aws:iam::123456789012:role/r"
        _ = try engine.createDetectorModel(DetectorModelRequest(name: "pinger", definition: pinger, description: nil, roleArn: role, evaluationMethod: .batch), key: AttributePath("k"), tags: [])
        _ = try engine.createDetectorModel(DetectorModelRequest(name: "echo", definition: echo, description: nil, roleArn: role, evaluationMethod: .batch), key: nil, tags: [])
        return engine
    }

    /// The payloads `echo` received, in order, and the errors of undelivered loop-backs.
    static func heard(_ output: RunOutput) -> (heard: [String], errors: [String]) {
        (output.actions.filter { $0.kind == .lambda }.map { $0.payload }, output.actions.compactMap { $0.error })
    }

    @Test func expiriesFirstThenTheMessageThenItsLoopbacksFirstInFirstOut() throws {
        let engine = try Self.engine()
        var output = RunOutput()
        let go = IncomingMessage(inputName: "Go", messageId: "m1", timestamp: nil, depth: 0)
        #expect(engine.process(.message(go, ToySource(from: "")), parser: ToyParser(), output: &output).errors.isEmpty)
        #expect(Self.heard(output).heard == ["go1", "go2", "go1-echo"])
        #expect(Self.heard(output).errors == ["not delivered: the payload is not a JSON object"])

        _ = engine.clock.advance(to: 1_001_000)
        output = RunOutput()
        let outcome = engine.process(.message(IncomingMessage(inputName: "Go", messageId: "m2", timestamp: nil, depth: 0), ToySource(from: "")),
                                     parser: ToyParser(), output: &output)
        #expect(outcome.expiries == 1)
        #expect(Self.heard(output).heard == ["timer", "go1", "go2", "go1-echo"])
    }

    @Test func aTickFiresExpiriesOnlyAndDeliversTheirLoopbacks() throws {
        let engine = try Self.engine()
        var output = RunOutput()
        _ = engine.process(.message(IncomingMessage(inputName: "Go", messageId: "m1", timestamp: nil, depth: 0), ToySource(from: "")),
                           parser: ToyParser(), output: &output)
        output = RunOutput()
        #expect(engine.process(ExternalTrigger<ToySource>.expiries(upTo: 1_000_999), parser: ToyParser(), output: &output).expiries == 0)
        #expect(engine.process(ExternalTrigger<ToySource>.expiries(upTo: 1_001_000), parser: ToyParser(), output: &output).expiries == 1)
        #expect(Self.heard(output).heard == ["timer"])
    }

    /// With a budget of 3 evaluations, the message's own evaluation and two loop-backs run; the
    /// third loop-back is reported with the limit, and the nested one is never queued.
    @Test func theBudgetStopsLoopbacksNotTheMessage() throws {
        let engine = try Self.engine(maxEvaluations: 3)
        var output = RunOutput()
        _ = engine.process(.message(IncomingMessage(inputName: "Go", messageId: "m1", timestamp: nil, depth: 0), ToySource(from: "")),
                           parser: ToyParser(), output: &output)
        #expect(Self.heard(output).heard == ["go1", "go2"])
        #expect(Self.heard(output).errors.count == 2)
        #expect(Self.heard(output).errors.allSatisfy { $0.contains("maxEvaluationsPerCall") })
    }
}
