/// How an engine is set up: the typed form of `iotevents_open`'s configuration document.
public struct EngineConfiguration: Equatable, Sendable {
    public enum ClockKind: Equatable, Sendable {
        /// Wall-clock time; `iotevents_tick(-1)` reads it.
        case system
        /// Time moves only through `iotevents_tick` (deterministic tests, replay).
        case manual
    }

    public var clock: ClockKind = .system
    /// Where the manual clock starts, epoch milliseconds.
    public var startTimeMillis: Int64 = 0
    /// System clock only: an internal thread fires expiries at their deadlines.
    public var timerThread = false
    /// Durable state; nil = in memory only.
    public var stateDirectory: String?
    public var region = "us-east-1"
    public var accountId = "123456789012"
    public var limits = Limits()

    public init() {}
}
