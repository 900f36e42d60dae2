/// Expiries: timers and alarm snoozes, in deadline order.
extension Engine {
    /// Processes every expiry due at or before the clock's current time; returns how many.
    /// Timers are set by detector actions and snoozes by alarm operators, so an engine
    /// without detector or alarm models has none.
    public func processDueExpiries() -> Int64 { 0 }

    /// The earliest pending expiry, if any.
    public func nextDeadline() -> Millis? { nil }
}
