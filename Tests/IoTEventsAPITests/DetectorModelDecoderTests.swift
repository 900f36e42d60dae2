import Testing
@testable import IoTEventsAPI
import IoTEventsCore
import CLibcShim

@Suite struct DetectorModelDecoderTests {
    /// Parses a CreateDetectorModel request, checks it against the schema, decodes and checks the
    /// structure: the path a create call will take.
    func load(_ definition: String, limits: Limits = Limits()) throws(ServiceError) -> DetectorModelDefinition {
        let request = #"{"detectorModelName":"m","roleArn":"arn:aws:iam::1:role/r","detectorModelDefinition":"# + definition + "}"
        let bytes = Array(request.utf8CString)
        let document = try bytes.withUnsafeBufferPointer { (text) throws(ServiceError) -> JSONDocument in
            try JSONDocument.parse(text.baseAddress!, length: request.utf8.count, maxDepth: 64, what: "The request")
        }
        try SchemaValidator.validate(document.root, shape: Operation.createDetectorModel.requestShape)
        guard let json = document.root["detectorModelDefinition"] else { throw .invalidRequest("no definition") }
        let model = try DetectorModelDecoder.definition(json)
        try model.validateStructure(limits: limits)
        return model
    }

    func message(_ definition: String, limits: Limits = Limits()) -> String? {
        do throws(ServiceError) {
            _ = try load(definition, limits: limits)
            return nil
        } catch {
            return error.message
        }
    }

    static let heartbeat = #"""
    {"initialStateName":"Online","states":[
      {"stateName":"Online","onEnter":{"events":[{"eventName":"arm","actions":[{"setTimer":{"timerName":"hb","seconds":300}}]}]},
       "onInput":{"events":[{"eventName":"beat","condition":"currentInput(\"Heartbeat\")","actions":[{"resetTimer":{"timerName":"hb"}},{"setVariable":{"variableName":"beats","value":"$variable.beats + 1"}}]}],
                  "transitionEvents":[{"eventName":"lost","condition":"timeout(\"hb\")","nextState":"Offline","actions":[{"sns":{"targetArn":"arn:aws:sns:us-east-1:123456789012:alerts","payload":{"contentExpression":"'offline'","type":"STRING"}}}]}]}},
      {"stateName":"Offline","onInput":{"transitionEvents":[{"eventName":"back","condition":"true","nextState":"Online"}]},
       "onExit":{"events":[{"eventName":"log","actions":[{"dynamoDB":{"hashKeyField":"'id'","hashKeyValue":"'x'","tableName":"t","hashKeyType":"'STRING'"}},{"clearTimer":{"timerName":"hb"}}]}]}}]}
    """#

    @Test func decodesEveryPart() throws {
        let model = try load(Self.heartbeat)
        #expect(model.initialStateName == "Online")
        #expect(model.states.map(\.stateName) == ["Online", "Offline"])
        #expect(model.states[0].onEnter[0].actions == [.setTimer(name: "hb", seconds: 300, durationExpression: nil)])
        #expect(model.states[0].onInput[0].condition == #"currentInput("Heartbeat")"#)
        #expect(model.states[0].onInput[0].actions[1] == .setVariable(name: "beats", value: "$variable.beats + 1"))
        let sns = ExternalActionDefinition(
            kind: .sns, parameters: [ActionParameter(name: "targetArn", value: .text("arn:aws:sns:us-east-1:123456789012:alerts"))],
            payload: PayloadDefinition(contentExpression: "'offline'", type: .string))
        #expect(model.states[0].transitions[0].actions == [.external(sns)])
        #expect(model.states[1].transitions[0].nextState == "Online")
        guard case .external(let dynamo) = model.states[1].onExit[0].actions[0] else {
            Issue.record("not an external action")
            return
        }
        #expect(dynamo.kind == .dynamoDB)
        #expect(dynamo.parameters.map(\.name) == ["hashKeyField", "hashKeyValue", "tableName", "hashKeyType"])
    }

    @Test func structuralErrorsNameThePath() {
        #expect(message(#"{"initialStateName":"B","states":[{"stateName":"A"}]}"#)
                == "detectorModelDefinition.initialStateName: B is not a state of this model")
        #expect(message(#"{"initialStateName":"A","states":[{"stateName":"A"},{"stateName":"A"}]}"#)
                == "detectorModelDefinition.states[1].stateName: the state A is defined more than once")
        #expect(message(#"{"initialStateName":"A","states":[{"stateName":"A","onInput":{"transitionEvents":[{"eventName":"t","condition":"true","nextState":"Z"}]}}]}"#)
                == "detectorModelDefinition.states[0].onInput.transitionEvents[0].nextState: Z is not a state of this model")
        #expect(message(#"{"initialStateName":"A","states":[{"stateName":"A","onEnter":{"events":[{"eventName":"e","actions":[{"setTimer":{"timerName":"t"}}]}]}}]}"#)
                == "detectorModelDefinition.states[0].onEnter.events[0].actions[0].setTimer: set exactly one of seconds and durationExpression")
        #expect(message(#"{"initialStateName":"A","states":[{"stateName":"A","onEnter":{"events":[{"eventName":"e","actions":[{"setTimer":{"timerName":"t","seconds":60,"durationExpression":"60"}}]}]}}]}"#)
                == "detectorModelDefinition.states[0].onEnter.events[0].actions[0].setTimer: set exactly one of seconds and durationExpression")
        #expect(message(#"{"initialStateName":"A","states":[{"stateName":"A","onExit":{"events":[{"eventName":"e","actions":[{"clearTimer":{"timerName":"t"},"resetTimer":{"timerName":"t"}}]}]}}]}"#)
                == "detectorModelDefinition.states[0].onExit.events[0].actions[0]: an action sets exactly one action member; this one sets 2 (clearTimer, resetTimer)")
        #expect(message(#"{"initialStateName":"A","states":[{"stateName":"A","onExit":{"events":[{"eventName":"e","actions":[{}]}]}}]}"#)
                == "detectorModelDefinition.states[0].onExit.events[0].actions[0]: an action sets exactly one action member; this one sets 0")
    }

    @Test func quotas() {
        var limits = Limits()
        limits.maxStatesPerModel = 1
        limits.maxActionsPerEvent = 1
        #expect(message(#"{"initialStateName":"A","states":[{"stateName":"A"},{"stateName":"B"}]}"#, limits: limits)?
                .hasPrefix("detectorModelDefinition.states: 2 states; at most 1") == true)
        #expect(message(#"{"initialStateName":"A","states":[{"stateName":"A","onEnter":{"events":[{"eventName":"e","actions":[{"clearTimer":{"timerName":"t"}},{"clearTimer":{"timerName":"u"}}]}]}}]}"#, limits: limits)
                == "detectorModelDefinition.states[0].onEnter.events[0].actions: 2 actions; at most 1 are allowed (limit maxActionsPerEvent)")
    }

    @Test func schemaCatchesWhatItCan() {
        #expect(message(#"{"initialStateName":"A","states":[]}"#)
                == "Value at 'detectorModelDefinition.states' failed to satisfy constraint: Member must have at least 1 entries")
        #expect(message(#"{"initialStateName":"A","states":[{"stateName":"A","onInput":{"transitionEvents":[{"eventName":"t","nextState":"A"}]}}]}"#)
                == "Missing required member 'detectorModelDefinition.states[0].onInput.transitionEvents[0].condition'")
    }
}

@Suite struct DetectorModelEncoderTests {
    /// decode → encode → decode gives the same definition, and encode is stable.
    @Test func roundTrips() throws {
        let first = try DetectorModelDecoderTests().load(DetectorModelDecoderTests.heartbeat)
        let json = DetectorModelEncoder.definition(first)
        guard let raw = json.raw, let text = JSONText.dump(raw) else {
            Issue.record("no JSON")
            return
        }
        let encoded = String(cString: text)
        free(text)
        let second = try DetectorModelDecoderTests().load(encoded)
        #expect(second == first)
        let again = DetectorModelEncoder.definition(second)
        guard let raw2 = again.raw, let text2 = JSONText.dump(raw2) else { return }
        #expect(String(cString: text2) == encoded)
        free(text2)
        #expect(encoded.hasPrefix(#"{"states":[{"stateName":"Online","onInput":{"events":[{"eventName":"beat""#))
    }
}
