import Testing
@testable import IoTEventsCore

@Suite struct CompiledDetectorModelTests {
    static func model(condition: String = "$input.Tank.level < 10", topic: String = "'tank/${$input.Tank.id}'") -> DetectorModelDefinition {
        DetectorModelDefinition(states: [
            StateDefinition(
                stateName: "Ok",
                onEnter: [EventDefinition(eventName: "init", condition: nil, actions: [.setVariable(name: "lows", value: "0")])],
                onInput: [EventDefinition(eventName: "low", condition: condition, actions: [.setVariable(name: "lows", value: "$variable.lows + 1")])],
                transitions: [TransitionDefinition(eventName: "toLow", condition: "$variable.lows >= 2", nextState: "Low", actions: [
                    .setTimer(name: "refill", seconds: nil, durationExpression: "120"),
                ])]),
            StateDefinition(
                stateName: "Low",
                onInput: [EventDefinition(eventName: "t", condition: "timeout(\"refill\")", actions: [
                    .external(ExternalActionDefinition(kind: .iotTopicPublish, parameters: [ActionParameter(name: "mqttTopic", value: .text(topic))], payload: nil)),
                    .external(ExternalActionDefinition(kind: .dynamoDB, parameters: [
                        ActionParameter(name: "hashKeyField", value: .text("'id'")),
                        ActionParameter(name: "tableName", value: .text("'tanks'")),
                    ], payload: PayloadDefinition(contentExpression: "'${$variable.lows}'", type: .string))),
                    .external(ExternalActionDefinition(kind: .sns, parameters: [ActionParameter(name: "targetArn", value: .text("arn:aws:sns:us-east-1:1:x"))], payload: nil)),
                    .clearTimer(name: "refill"),
                ])]),
        ], initialStateName: "Ok")
    }

    @Test func oneSymbolTableForTheWholeModel() throws {
        let compiled = try Self.model().compile(limits: Limits())
        #expect(compiled.initialState == 0)
        #expect(compiled.symbols.variableNames == ["lows"])
        #expect(compiled.symbols.timerNames == ["refill"])
        #expect(compiled.symbols.inputAttributes.map { $0.path } == [[.member("level")], [.member("id")]])
        #expect(compiled.states[0].transitions[0].nextState == 1)
        guard case .setTimer(0, nil, let duration?) = compiled.states[0].transitions[0].actions[0] else {
            Issue.record("setTimer not compiled")
            return
        }
        #expect(duration.constantValue == .integer(120))
    }

    @Test func whichParametersAreExpressions() throws {
        let actions = try Self.model().compile(limits: Limits()).states[1].onInput[0].actions
        func parameter(_ i: Int) -> CompiledParameter.Value? {
            if case .external(let e) = actions[i] { return e.parameters.first?.value }
            return nil
        }
        if case .expression = parameter(0) {} else { Issue.record("a parsable mqttTopic is an expression") }
        if case .expression(let e) = parameter(1) { #expect(e.constantValue == .string("id")) } else { Issue.record("dynamoDB parameters are expressions") }
        if case .literal(.text("arn:aws:sns:us-east-1:1:x")) = parameter(2) {} else { Issue.record("an ARN is literal") }
        // A bare topic that does not parse is used as written (§4.4).
        let bare = try Self.model(topic: "$aws/things/x/shadow/update").compile(limits: Limits()).states[1].onInput[0].actions
        if case .external(let e) = bare[0], case .literal(.text("$aws/things/x/shadow/update")) = e.parameters[0].value {} else {
            Issue.record("an unparsable mqttTopic is literal")
        }
    }

    @Test func expressionErrorsNameThePathAndColumn() {
        #expect(throws: ServiceError.invalidRequest("detectorModelDefinition.states[0].onInput.events[0].condition: column 26: expected an expression")) {
            _ = try Self.model(condition: "$input.Tank.level < 10 &&").compile(limits: Limits())
        }
        var limits = Limits()
        limits.maxExpressionDepth = 2
        #expect(throws: ServiceError.invalidRequest("detectorModelDefinition.states[0].onInput.events[0].condition: column 3: expression nested more than 2 levels deep (limit maxExpressionDepth)")) {
            _ = try Self.model(condition: "(((1)))").compile(limits: limits)
        }
    }
}
