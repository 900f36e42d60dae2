import Testing
@testable import IoTEventsCore

/// Deadlines saturate instead of trapping: a trap would kill the host (issue 20, failure 4).
@Suite struct TimeArithmeticTests {
    @Test func ordinarySums() {
        #expect(Millis(1_700_000_000_000).adding(seconds: 30) == 1_700_000_030_000)
        #expect(Millis(0).adding(seconds: -1) == -1000)
    }

    @Test func saturatesAtBothEnds() {
        #expect(Millis.max.adding(seconds: 1) == Millis.max)
        #expect(Millis(1).adding(seconds: Int64.max) == Millis.max)
        #expect(Millis(0).adding(seconds: Int64.max / 1000 + 1) == Millis.max)
        #expect(Millis.min.adding(seconds: -1) == Millis.min)
        #expect(Millis(0).adding(seconds: Int64.min) == Millis.min)
        #expect(Millis.max.adding(seconds: Int64.min) == Millis.min)
    }

    @Test func deduplicatorSurvivesTimesFarApart() {
        var d = MessageDeduplicator()
        d.restore([(time: Millis.min, id: "old")])
        let duplicate = d.isDuplicate("old", now: Millis.max, window: 300_000)
        #expect(!duplicate)
    }
}
