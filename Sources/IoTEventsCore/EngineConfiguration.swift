/// How an engine is set up: the typed form of `iotevents_open`'s configuration document.
package struct EngineConfiguration: Equatable, Sendable {
    package enum ClockKind: Equatable, Sendable {
        /// Wall-clock time; `iotevents_tick(-1)` reads it.
        case system
        /// Time moves only through `iotevents_tick` (deterministic tests, replay).
        case manual
    }

    /// What `$input.X.path` may see of a message (docs/behaviour.md §1.2 [A]).
    package enum InputProjection: Equatable, Sendable {
        /// Only the input's declared attributes and what lies under them (AWS's documented rule).
        case declared
        /// The whole payload, declared or not.
        case payload
    }

    /// An operator action the alarm's state does not allow (§5.4 d [A]).
    package enum AlarmRejectedActions: Equatable, Sendable {
        /// An `InvalidRequestException` error entry naming the state.
        case error
        /// Silently nothing, as AWS's asynchronous (HTTP 202) calls most likely behaved.
        case ignore
    }

    /// When alarm notifications are sent (§5.6).
    package enum AlarmNotifications: Equatable, Sendable {
        /// On state changes of alarms whose acknowledge flow is enabled (as AWS documented).
        case acknowledgeFlow
        /// On every state change.
        case always
    }

    /// When a state-changing call's log record reaches stable storage (stateDirectory only).
    package enum Durability: Equatable, Sendable {
        /// Before the call returns (fdatasync per call).
        case always
        /// Within `groupCommitMillis` after the call returns: one sync covers many calls. A
        /// crash of the process loses nothing (the record is written before the call returns);
        /// a power loss may lose the calls of the last window.
        case groupCommit
    }

    package var clock: ClockKind = .system
    package var alarmRejectedActions: AlarmRejectedActions = .error
    package var alarmNotifications: AlarmNotifications = .acknowledgeFlow
    package var inputProjection: InputProjection = .payload
    /// Where the manual clock starts, epoch milliseconds.
    package var startTimeMillis: Int64 = 0
    /// System clock only: an internal thread fires expiries at their deadlines.
    package var timerThread = false
    /// Durable state; nil = in memory only.
    package var stateDirectory: String?
    package var durability: Durability = .always
    /// groupCommit: the longest a written record waits for its sync, milliseconds.
    package var groupCommitMillis: Int64 = 50
    /// The log size that makes the engine fold the log into a new snapshot, bytes.
    package var snapshotLogBytes: Int64 = 4 << 20
    package var region = "us-east-1"
    package var accountId = "123456789012"
    package var limits = Limits()

    package init() {}
}
