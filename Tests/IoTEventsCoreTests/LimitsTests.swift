import Testing
@testable import IoTEventsCore

/// The `limits` bounds are the same on every target: computed as `1 << 40` in `Int`, four of them
/// were 0 on 32-bit targets and `open` refused every value of them on armv7 (issue 23; make
/// test-cross TARGET=arm-linux-gnueabihf runs the cases there, time-extremes sets 2^40).
@Suite struct LimitsTests {
    @Test func wideBoundsAreTheSameOnEveryTarget() {
        let wide = ["maxTimerSeconds", "maxDetectorsPerModel", "maxAlarmsPerModel", "dedupWindowSeconds"]
        let entries = Limits.entries.filter { wide.contains("\($0.key)") }
        #expect(entries.count == wide.count)
        for entry in entries {
            #expect(entry.maximum == 1_099_511_627_776, "\(entry.key)")
        }
    }

    @Test func timesKeepTheirValueAndCountsSaturateAtTheTargetsInt() {
        var limits = Limits()
        for entry in Limits.entries {
            entry.set(&limits, entry.maximum)
            let kept = entry.get(limits)
            // Exact where the value fits the field; a count past Int.max (only on 32-bit) saturates.
            #expect(kept == entry.maximum || (kept == Int64(Int.max) && Int64(Int.max) < entry.maximum), "\(entry.key)")
        }
        #expect(limits.maxTimerSeconds == 1 << 40 && limits.dedupWindowSeconds == 1 << 40)
    }

    @Test func everyBoundAdmitsItsDefault() {
        let defaults = Limits()
        for entry in Limits.entries {
            #expect(entry.minimum <= entry.maximum, "\(entry.key)")
            #expect(entry.get(defaults) >= entry.minimum && entry.get(defaults) <= entry.maximum, "\(entry.key)")
        }
    }
}
