/// The whole state of one engine: inputs, models and their running instances, and the clock.
///
/// Not thread-safe by itself: the API layer serialises every call under the engine lock.
/// Every mutating operation either applies completely or throws before changing anything.
package final class Engine {
    package let configuration: EngineConfiguration
    package let names: ResourceNames
    package var clock: EngineClock
    package var limits: Limits { configuration.limits }

    var inputs = NamedRegistry<Input>() {
        didSet { inputsGeneration &+= 1 }
    }
    /// Counts changes of `inputs`, so that resolved message routes know when they are stale.
    var inputsGeneration: UInt64 = 0
    /// Message routes resolved since the inputs or models last changed (MessageRoutes.swift).
    var messageRoutes = MessageRouteCache()
    var loggingOptions: LoggingOptions? {
        didSet { tracePolicy = TracePolicy(options: loggingOptions, hostListens: hostReceivesLogs) }
    }
    /// Whether the host receives log records (has set a log handler): with no one listening the
    /// engine writes none, whatever the logging options say.
    package var hostReceivesLogs = false {
        didSet { tracePolicy = TracePolicy(options: loggingOptions, hostListens: hostReceivesLogs) }
    }
    /// Who logs at which level, from the two above.
    private(set) var tracePolicy = TracePolicy()
    /// What the engine has done since it was opened (`Engine+Counters.swift`).
    package internal(set) var counters = EngineCounters()
    /// Detector models by name, and by the inputs that feed them (`routes`, name order, §1.6).
    let detectorModels = ModelCatalog<DetectorModelKind>()
    /// Every armed detector timer's deadline (lazy deletion: see `DeadlineHeap`).
    var timerQueue = DeadlineHeap<TimerEntry>()
    /// Timers running in all detectors: when the queue holds many more entries than this, the
    /// stale ones are swept out.
    var runningTimers = 0
    var nextTimerGeneration: UInt64 = 1
    /// Alarm models by name, and by the inputs their rule and actions read (`routes`).
    let alarmModels = ModelCatalog<AlarmModelKind>()
    /// Every running snooze's end (lazy deletion, as for timers).
    var snoozeQueue = DeadlineHeap<SnoozeEntry>()
    /// Alarms snoozed right now, for the stale-entry sweep.
    var runningSnoozes = 0
    /// Numbers action executions, so their ids are unique within the engine.
    var executionSequence: UInt64 = 0
    var deduplicator = MessageDeduplicator()
    let analyses = AnalysisStore()

    package init(configuration: EngineConfiguration) {
        self.configuration = configuration
        self.names = ResourceNames(region: configuration.region, accountId: configuration.accountId)
        self.clock = EngineClock(kind: configuration.clock, start: configuration.startTimeMillis)
    }
}

/// A queued snooze end: which alarm, and which snooze of it.
struct SnoozeEntry {
    let model: AlarmModel
    let key: String
    let generation: UInt64
}

/// A queued timer deadline: which detector's which timer, and which arming of it.
struct TimerEntry {
    let model: DetectorModel
    let key: String
    /// Where the detector was when the timer was armed: tried before a lookup by key (slots are
    /// reused, so the key is checked). -1 when unknown (restored from a snapshot).
    var slot: Int = -1
    let timer: Int
    let generation: UInt64
}
