/// Deadlines from durations. Times come from outside (`iotevents_tick`, `startTimeMillis`, a
/// request's `snoozeDuration`), so a sum may not fit in 64 bits: a trap there would kill the
/// host, so every deadline saturates at the end of time instead (a timer due "never").
extension Millis {
    /// `self` plus `seconds` seconds, saturated to `Millis.min ... Millis.max`.
    package func adding(seconds: Int64) -> Millis {
        let (millis, productOverflow) = seconds.multipliedReportingOverflow(by: 1000)
        if productOverflow { return seconds < 0 ? Millis.min : Millis.max }
        let (sum, sumOverflow) = addingReportingOverflow(millis)
        if sumOverflow { return millis < 0 ? Millis.min : Millis.max }
        return sum
    }
}
