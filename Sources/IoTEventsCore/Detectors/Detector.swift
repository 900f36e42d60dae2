/// One running instance of a detector model (docs/behaviour.md §2.3): its state, variables, timers and
/// the input values it retains, all in slot arrays indexed by the numbers the model compiler gave
/// the names, so evaluation never looks a name up.
package struct Detector: Sendable {
    /// The key value; "" for the single detector of a keyless model (a real key is never empty).
    package let key: String
    package internal(set) var state: Int
    /// By variable slot; Undefined = never set. May be shorter than the version's name table.
    package internal(set) var variables: [ExpressionValue]
    /// By input attribute slot: the value the last message on that attribute's input carried (§1.5).
    var attributes: [ExpressionValue]
    /// By timer id; may be shorter than the version's name table.
    package internal(set) var timers: [DetectorTimer]
    package let creationTime: Millis
    package internal(set) var lastUpdateTime: Millis

    init(key: String, version: DetectorModelVersion, now: Millis) {
        self.key = key
        self.state = version.compiled.initialState
        self.variables = Array(repeating: .undefined, count: version.variableNames.count)
        self.attributes = Array(repeating: .undefined, count: version.compiled.symbols.inputAttributes.count)
        self.timers = Array(repeating: DetectorTimer(), count: version.timerNames.count)
        self.creationTime = now
        self.lastUpdateTime = now
    }

    private init() {
        key = ""
        state = 0
        variables = []
        attributes = []
        timers = []
        creationTime = 0
        lastUpdateTime = 0
    }

    /// What a detector moved out of its evaluation leaves behind: empty, allocating nothing.
    static var placeholder: Detector { Detector() }

    package var keyValue: String? { key.isEmpty ? nil : key }

    package func variable(_ slot: Int) -> ExpressionValue {
        slot < variables.count ? variables[slot] : .undefined
    }

    mutating func setVariable(_ slot: Int, _ value: ExpressionValue) {
        while slot >= variables.count { variables.append(.undefined) }
        variables[slot] = value
    }

    func timer(_ id: Int) -> DetectorTimer {
        id < timers.count ? timers[id] : DetectorTimer()
    }

    mutating func setTimer(_ id: Int, _ timer: DetectorTimer) {
        while id >= timers.count { timers.append(DetectorTimer()) }
        timers[id] = timer
    }

    /// How many timers are running (the `maxTimersPerDetector` limit counts these).
    var runningTimerCount: Int {
        var n = 0
        for t in timers where t.deadline != nil { n += 1 }
        return n
    }
}

/// One timer slot of a detector (§4.3): running (a deadline), or stopped; with the duration
/// `resetTimer` re-uses and the unconsumed-expiry mark `timeout()` reads.
package struct DetectorTimer: Sendable {
    /// Epoch ms of the expiry; nil when the timer is not running.
    package internal(set) var deadline: Millis?
    /// The duration it was last set with, seconds.
    package internal(set) var seconds: Int64 = 0
    /// Identifies this arming, and orders arms: ties between deadlines fire in arming order.
    var generation: UInt64 = 0
    /// The generation of this timer's entry in the engine's queue, due at or before `deadline`:
    /// an entry with another generation is stale. A timer re-armed to a later deadline keeps its
    /// entry, which is moved to the new deadline when it comes due (`DetectorCycle.arm`).
    var queued: UInt64 = 0
    /// Expired and not yet observed by `timeout()`.
    var pendingTimeout = false

    init() {}
}
