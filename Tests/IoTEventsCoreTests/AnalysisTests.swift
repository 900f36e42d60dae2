import Testing
@testable import IoTEventsCore

/// The analysis's core logic without JSON: the data flow of "read before set" must not depend on
/// the order states are listed in, declared-attribute matching, and the kept analyses.
@Suite struct AnalysisTests {
    static let environment = AnalysisEnvironment(inputs: ["T": [AttributePath("a.b"), AttributePath("c")]], limits: Limits())

    static func chain(_ names: [String], initial: String) -> DetectorModelDefinition {
        // A → B → C: A sets x, C reads it. Listed in `names` order.
        var states: [StateDefinition] = []
        for name in names {
            switch name {
            case "A":
                states.append(StateDefinition(stateName: "A", onInput: [EventDefinition(eventName: "e", condition: "$input.T.c > 1", actions: [.setVariable(name: "x", value: "1")])],
                                              transitions: [TransitionDefinition(eventName: "t", condition: "true", nextState: "B", actions: [])]))
            case "B":
                states.append(StateDefinition(stateName: "B", transitions: [TransitionDefinition(eventName: "t", condition: "true", nextState: "C", actions: [])]))
            default:
                states.append(StateDefinition(stateName: "C", onInput: [EventDefinition(eventName: "r", condition: "$variable.x > 0", actions: [])]))
            }
        }
        return DetectorModelDefinition(states: states, initialStateName: initial)
    }

    static func earlyReads(_ d: DetectorModelDefinition) -> [AnalysisResult] {
        DetectorModelAnalysis.analyze(d, environment).filter { $0.message.contains("is read before") }
    }

    @Test func readAfterAnEarlierStateSetsItIsFineInAnyOrder() {
        #expect(AnalysisTests.earlyReads(AnalysisTests.chain(["A", "B", "C"], initial: "A")).isEmpty)
        #expect(AnalysisTests.earlyReads(AnalysisTests.chain(["C", "B", "A"], initial: "A")).isEmpty)
    }

    @Test func readBeforeTheSettingStateIsReported() {
        // Starting in B, nothing sets x before C: A is unreachable.
        let results = AnalysisTests.earlyReads(AnalysisTests.chain(["C", "A", "B"], initial: "B"))
        #expect(results.count == 1)
        #expect(results.first?.locations == ["states[0].onInput.events[0].condition"])
        #expect(results.first?.level == .warning)
    }

    @Test func declaredAttributesMatchAlongThePath() {
        func declared(_ steps: [PathStep]) -> Bool {
            ModelAnalyzer.isDeclared(steps, [AttributePath("a.b"), AttributePath("c")])
        }
        #expect(declared([.member("a"), .member("b")]))
        #expect(declared([.member("a")]))                       // an object holding a declared one
        #expect(declared([.member("c"), .member("d")]))         // inside a declared one
        #expect(declared([.member("c"), .index(0)]))
        #expect(!declared([.member("a"), .member("z")]))
        #expect(!declared([.member("z")]))
    }

    @Test func keptAnalysesAreBoundedOldestFirst() throws {
        var config = EngineConfiguration()
        config.clock = .manual
        config.limits.maxAnalyses = 2
        let engine = Engine(configuration: config)
        let d = AnalysisTests.chain(["A", "B", "C"], initial: "A")
        let first = engine.startDetectorModelAnalysis(d)
        let second = engine.startDetectorModelAnalysis(d)
        #expect(first != second)
        #expect(try engine.describeDetectorModelAnalysis(first) == .running)
        #expect(try engine.describeDetectorModelAnalysis(first) == .complete)
        _ = engine.startDetectorModelAnalysis(d)
        #expect(throws: ServiceError.self) { try engine.describeDetectorModelAnalysis(first) }
        #expect(try engine.describeDetectorModelAnalysis(second) == .running)
    }

    @Test func pagesCoverEveryResultOnce() throws {
        let engine = Engine(configuration: EngineConfiguration())
        let id = engine.startDetectorModelAnalysis(AnalysisTests.chain(["C", "A", "B"], initial: "B"))
        let all = try engine.detectorModelAnalysisResults(id, nextToken: nil, maxResults: 250).results
        var paged: [AnalysisResult] = []
        var token: String? = nil
        repeat {
            let page = try engine.detectorModelAnalysisResults(id, nextToken: token, maxResults: 1)
            paged += page.results
            token = page.nextToken
        } while token != nil
        #expect(!all.isEmpty)
        #expect(paged == all)
    }
}
