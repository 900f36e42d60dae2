import Testing
@testable import IoTEventsCore

@Suite struct PageTokenTests {
    @Test func roundTrips() {
        let token = PageToken.encode(scope: "inputs", after: "Pump_7")
        #expect(PageToken.decode(token, scope: "inputs") == "Pump_7")
    }

    @Test func rejectsOtherScopesAndDamage() {
        let token = PageToken.encode(scope: "inputs", after: "Pump_7")
        #expect(PageToken.decode(token, scope: "detectors/m") == nil)
        var bytes = Array(token.utf8)
        bytes[bytes.count - 1] = bytes[bytes.count - 1] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        #expect(PageToken.decode(String(decoding: bytes, as: UTF8.self), scope: "inputs") == nil)
        #expect(PageToken.decode("", scope: "inputs") == nil)
        #expect(PageToken.decode("garbage!", scope: "inputs") == nil)
    }
}

@Suite struct NamedRegistryTests {
    @Test func pagesInByteOrderAndSurvivesDeletionOfTheCursor() {
        var registry = NamedRegistry<Int>()
        for (i, name) in ["b", "a", "d", "c", "B"].enumerated() { registry.set(name, i) }
        let first = registry.page(after: nil, limit: 2)
        #expect(first.values == [4, 1])   // "B" < "a" < "b" by bytes
        #expect(first.more)
        registry.remove("a")               // the cursor's item goes away
        let second = registry.page(after: "a", limit: 2)
        #expect(second.values == [0, 3])
        #expect(second.more)
        let last = registry.page(after: "c", limit: 2)
        #expect(last.values == [2])
        #expect(!last.more)
    }
}

@Suite struct AttributePathTests {
    @Test func splitsSegmentsAndUnquotesBackticks() {
        #expect(AttributePath("meta.`fw-version`.x").segments == ["meta", "fw-version", "x"])
        #expect(AttributePath("`motor pressure`").segments == ["motor pressure"])
        #expect(AttributePath("unit").segments == ["unit"])
    }
}

@Suite struct EngineInputTests {
    func engine() -> Engine {
        var config = EngineConfiguration()
        config.clock = .manual
        config.startTimeMillis = 1_000
        config.limits.maxInputs = 2
        return Engine(configuration: config)
    }

    @Test func duplicateCreateCarriesIdAndArn() throws {
        let e = engine()
        _ = try e.createInput(InputDefinition(name: "A", description: nil, attributes: [AttributePath("x")]), tags: [])
        #expect(throws: ServiceError(.resourceAlreadyExists, "Input A already exists",
                                     resourceId: "A", resourceArn: "arn:aws:iotevents:us-east-1:123456789012:input/A")) {
            try e.createInput(InputDefinition(name: "A", description: nil, attributes: [AttributePath("y")]), tags: [])
        }
    }

    @Test func maxInputsIsEnforcedAndNothingChanges() throws {
        let e = engine()
        for name in ["A", "B"] {
            _ = try e.createInput(InputDefinition(name: name, description: nil, attributes: [AttributePath("x")]), tags: [])
        }
        #expect(throws: ServiceError.self) {
            try e.createInput(InputDefinition(name: "C", description: nil, attributes: [AttributePath("x")]), tags: [])
        }
        #expect(try e.listInputs(nextToken: nil, maxResults: 10).inputs.map(\.name) == ["A", "B"])
    }

    @Test func tagsMergeAndTheLimitHolds() throws {
        let e = engine()
        let input = try e.createInput(InputDefinition(name: "A", description: nil, attributes: [AttributePath("x")]),
                                      tags: [ResourceTag(key: "k", value: "1")])
        try e.tagResource(arn: input.arn, tags: [ResourceTag(key: "k", value: "2"), ResourceTag(key: "j", value: "3")])
        #expect(try e.tags(of: input.arn).tags == [ResourceTag(key: "k", value: "2"), ResourceTag(key: "j", value: "3")])
        var many: [ResourceTag] = []
        for i in 0..<49 { many.append(ResourceTag(key: "t\(i)", value: "")) }
        #expect(throws: ServiceError.self) { try e.tagResource(arn: input.arn, tags: many) }
        #expect(try e.tags(of: input.arn).count == 2)
        try e.untagResource(arn: input.arn, keys: ["k", "missing"])
        #expect(try e.tags(of: input.arn).tags == [ResourceTag(key: "j", value: "3")])
    }

    @Test func manualClockNeverMovesBack() {
        var clock = EngineClock(kind: .manual, start: 5_000)
        clock.advance(to: 4_000)
        #expect(clock.now() == 5_000)
        clock.advance(to: 6_000)
        #expect(clock.now() == 6_000)
    }
}
