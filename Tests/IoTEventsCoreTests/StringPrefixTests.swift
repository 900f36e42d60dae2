import Testing
@testable import IoTEventsCore

/// Shortened texts in messages are cut in Unicode scalars, never in Characters (the small library
/// carries no grapheme breaking; `make check-size` checks that).
@Suite struct StringPrefixTests {
    @Test func prefixCountsScalarsNotCharacters() {
        let accented = String(repeating: "e\u{301}", count: 3)  // 3 Characters, 6 scalars
        #expect(Array(accented.prefix(scalars: 3).unicodeScalars) == Array("e\u{301}e".unicodeScalars))
        #expect(accented.prefix(scalars: 6).utf8.count == accented.utf8.count)
        #expect(accented.prefix(scalars: 100).utf8.count == accented.utf8.count)
        #expect("".prefix(scalars: 5).isEmpty)
    }

    @Test func aLongExpressionIsQuotedUpTo100Scalars() {
        // 60 accented letters (120 scalars) and a dangling operator: does not parse.
        let text = String(repeating: "e\u{301}", count: 60) + " +"
        let model = DetectorModelDefinition(
            states: [StateDefinition(stateName: "A", onInput: [EventDefinition(eventName: "e", condition: text, actions: [])])],
            initialStateName: "A")
        let results = DetectorModelAnalysis.analyze(model, AnalysisTests.environment)
        let quoted = "'" + String(repeating: "e\u{301}", count: 50) + "...'"
        #expect(results.contains { Array($0.message.utf8).starts(with: Array("The expression \(quoted) does not parse".utf8)) })
    }
}
