import CLibcShim

/// Epoch milliseconds: the engine's one unit of time.
package typealias Millis = Int64

/// The engine's notion of "now". The manual clock never moves by itself and never backwards;
/// the system clock follows the wall clock but is also kept monotonic, so that timestamps the
/// engine hands out never decrease even when the wall clock is stepped back.
package struct EngineClock: Sendable {
    package let kind: EngineConfiguration.ClockKind
    private var last: Millis
    /// Held at one instant (`pin`): every reading returns it until `unpin`.
    private var pinned = false

    package init(kind: EngineConfiguration.ClockKind, start: Millis) {
        self.kind = kind
        self.last = kind == .manual ? start : max(start, ie_clock_now_millis())
    }

    /// The current time. For the system clock this reads the wall clock.
    package mutating func now() -> Millis {
        if kind == .system && !pinned {
            let wall = ie_clock_now_millis()
            if wall > last { last = wall }
        }
        return last
    }

    /// Holds the clock at `time` (moved forward to it if it is later) until `unpin`: a durable
    /// engine runs each logged call at one instant, which the log records and replay pins again.
    package mutating func pin(at time: Millis) {
        if time > last { last = time }
        pinned = true
    }

    package mutating func unpin() { pinned = false }

    /// Recovery only, before the engine has run anything: the clock reads `time`, even when that
    /// is earlier than where it started. A new system clock starts at the wall clock, but a state
    /// directory's snapshot and logged calls ran before it: replayed at the reopening's time,
    /// every deadline they set moved later by the downtime.
    package mutating func rewind(to time: Millis) { last = time }

    /// The last time the clock gave out, without reading the wall clock (for snapshots).
    package var lastReading: Millis { last }

    /// Moves the clock forward to `time` (never backwards). Returns the clock's new time.
    @discardableResult
    package mutating func advance(to time: Millis) -> Millis {
        if time > last { last = time }
        return now()
    }
}
