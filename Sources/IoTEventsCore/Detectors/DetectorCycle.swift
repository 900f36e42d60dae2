/// What caused an evaluation (§2.4): a message on an input, or a timer's expiry.
enum Trigger {
    /// `input` is the input's id in the model's symbols (nil if the model never names it).
    case message(input: Int?, inputName: String, messageId: String)
    case timer(id: Int, name: String)

    var isMessage: Bool {
        if case .message = self { return true }
        return false
    }

    /// `currentInput` of an input the model names (by its id in the model's symbols).
    func isMessage(onInput input: Int) -> Bool {
        if case .message(let id, _, _) = self { return id == input }
        return false
    }

    /// `currentInput` of a name computed at run time.
    func isMessage(onInputNamed name: String) -> Bool {
        if case .message(_, let inputName, _) = self { return inputName == name }
        return false
    }
}

/// One trigger processed by one detector: the evaluation cycle of docs/behaviour.md §2.4, run against
/// the detector it owns for the duration, and the expression context its expressions read.
///
/// BATCH evaluates every condition of a lifecycle group before running any action; SERIAL runs
/// each event's actions before the next condition. Either way: `onInput` events, then the first
/// true transition, its actions, `onExit`, the new state's `onEnter`, and no chaining.
struct DetectorCycle: ActionHost {
    let model: DetectorModel
    let version: DetectorModelVersion
    var detector: Detector
    let trigger: Trigger
    /// `eventTime` of payloads: the message's timestamp, or the timer's due time.
    let eventTime: Millis
    /// What timer deadlines count from: the clock, or the due time of the expiring timer.
    let now: Millis
    let limits: Limits
    /// Loop-back depth of the triggering message (0 for a timer or an original message).
    let depth: Int
    var output: RunOutput
    /// Timers armed during the cycle: the engine queues their deadlines afterwards.
    var armed: [(timer: Int, deadline: Millis, generation: UInt64)] = []
    /// Running-timer count change, for the engine's stale-entry bookkeeping.
    var runningDelta = 0
    var nextGeneration: UInt64
    var sequence: UInt64
    /// The level this detector logs at (nil: logging off; docs/behaviour.md §9 item 37).
    let trace: TraceLevel?
    /// DEBUG: every condition is noted for the summary (`tracedFires`).
    let tracesConditions: Bool
    /// By input attribute slot, whether its input declares it: for explanations, with logging on
    /// and `inputProjection: "declared"` only (nil otherwise: every reference is visible, and an
    /// empty array would still cost a retain and a release per cycle).
    var declaredAttributes: [Bool]?
    /// The conditions evaluated so far, for the DEBUG summary (nil below DEBUG).
    var conditionResults: [ConditionResult]?

    init(model: DetectorModel, version: DetectorModelVersion, detector: Detector, trigger: Trigger,
         eventTime: Millis, now: Millis, limits: Limits, depth: Int, output: RunOutput,
         nextGeneration: UInt64, sequence: UInt64, trace: TraceLevel? = nil) {
        self.model = model
        self.version = version
        self.detector = detector
        self.trigger = trigger
        self.eventTime = eventTime
        self.now = now
        self.limits = limits
        self.depth = depth
        self.output = output
        self.nextGeneration = nextGeneration
        self.sequence = sequence
        self.trace = trace
        self.tracesConditions = TraceLevel.debug.passes(trace)
    }

    /// The detector, moved out (an empty placeholder is left, which allocates nothing).
    mutating func takeDetector() -> Detector {
        var taken = Detector.placeholder
        swap(&taken, &detector)
        return taken
    }

    // MARK: The cycle

    /// Runs the cycle. `created`: the detector was created by this message, so the initial
    /// state's `onEnter` runs first (§2.3).
    mutating func run(created: Bool) {
        guard tracesConditions else { return runCycle(created: created) }
        if case .timer(_, let name) = trigger {
            log(.debug, "timerFired", eventName: nil, "Timer \(name) fired") { w in w.key("timerName"); w.value(name) }
        }
        let initialState = detector.state
        let initialVariables = detector.variables
        runCycle(created: created)
        logSummary(initialState: initialState, initialVariables: initialVariables)
    }

    private mutating func runCycle(created: Bool) {
        let states = version.compiled.states
        if created { runGroup(states[detector.state].onEnter, .onEnter) }
        let current = detector.state
        guard let chosen = runOnInput(states[current]) else { return }
        runGroup(states[current].onExit, .onExit)
        let next = states[current].transitions[chosen].nextState
        output.transitions += 1
        if trace != nil {
            let name = states[current].transitions[chosen].name
            log(.info, "transition", eventName: name,
                "Transition from \(states[current].name) to \(states[next].name) by event \(name)") { w in
                w.key("fromState"); w.value(states[current].name)
                w.key("toState"); w.value(states[next].name)
            }
        }
        detector.state = next
        runGroup(states[next].onEnter, .onEnter)
    }

    /// Whether `condition` holds. The event's name is only read when conditions are traced.
    private mutating func fires(_ condition: CompiledExpression?, _ eventName: @autoclosure () -> String, _ lifeCycle: LifeCycle,
                                transition: Bool = false) -> Bool {
        if tracesConditions { return tracedFires(condition, eventName(), lifeCycle, transition: transition) }
        guard let condition else { return true }
        return condition.evaluate(&self).isTrue
    }

    /// An `onEnter` or `onExit` group.
    private mutating func runGroup(_ events: [CompiledEvent], _ lifeCycle: LifeCycle) {
        if events.isEmpty { return }
        switch version.evaluationMethod {
        case .serial:
            for event in events where fires(event.condition, event.name, lifeCycle) { execute(event.actions, event.name) }
        case .batch:
            var fired: [Int] = []
            for (i, event) in events.enumerated() where fires(event.condition, event.name, lifeCycle) { fired.append(i) }
            for i in fired { execute(events[i].actions, events[i].name) }
        }
    }

    /// `onInput`: its events, then the first transition whose condition is true. Returns the
    /// chosen transition's index (not the transition: a copy retains its members).
    private mutating func runOnInput(_ state: CompiledState) -> Int? {
        switch version.evaluationMethod {
        case .serial:
            for event in state.onInput where fires(event.condition, event.name, .onInput) { execute(event.actions, event.name) }
            for (i, t) in state.transitions.enumerated() where fires(t.condition, t.name, .onInput, transition: true) {
                if tracesConditions { noteSkipped(state.transitions[(i + 1)...], after: t.name) }
                execute(t.actions, t.name)
                return i
            }
            return nil
        case .batch:
            var fired: [Int] = []
            for (i, event) in state.onInput.enumerated() where fires(event.condition, event.name, .onInput) { fired.append(i) }
            var chosen: Int?
            for (i, t) in state.transitions.enumerated() where fires(t.condition, t.name, .onInput, transition: true) {
                chosen = i
                break
            }
            if let chosen, tracesConditions {
                noteSkipped(state.transitions[(chosen + 1)...], after: state.transitions[chosen].name)
            }
            for i in fired { execute(state.onInput[i].actions, state.onInput[i].name) }
            guard let chosen else { return nil }
            execute(state.transitions[chosen].actions, state.transitions[chosen].name)
            return chosen
        }
    }

    // MARK: Actions (§4)

    private mutating func execute(_ actions: [CompiledAction], _ eventName: String) {
        for action in actions {
            switch action {
            case .setVariable(let slot, let expression):
                // An Undefined or Null result is a failed assignment: the variable keeps its value
                // (§2.7); so is a String beyond maxValueChars (`include/iotevents.h`, limits).
                let value = expression.evaluate(&self)
                switch value {
                case .undefined, .null:
                    fail(failure(.assignment, "setVariable", eventName: eventName,
                         "$variable.\(version.variableNames[slot]) keeps its value: the value gave \(value.kindName)\(because(expression))"))
                case .string(let text) where !limits.admitsValue(text):
                    fail(failure(.limit, "setVariable", eventName: eventName,
                         "$variable.\(version.variableNames[slot]) keeps its value: the String is longer than \(limits.maxValueChars) characters (limit maxValueChars)"))
                default:
                    detector.setVariable(slot, value)
                    if tracesConditions {
                        let name = version.variableNames[slot]
                        log(.debug, "variableSet", eventName: eventName, "$variable.\(name) set") { w in
                            w.key("variableName"); w.value(name)
                            w.key("value"); w.value(value)
                        }
                    }
                }
            case .setTimer(let id, let seconds, let duration):
                var length: Int64?
                var durationProblem: CompiledExpression?
                if let seconds { length = seconds } else if let duration {
                    length = DetectorCycle.seconds(duration.evaluate(&self))
                    durationProblem = duration
                }
                guard let length, length >= Int64(limits.minTimerSeconds), length <= Int64(limits.maxTimerSeconds) else {
                    fail(failure(.timerDuration, "setTimer", eventName: eventName,
                         "timer \(version.timerNames[id]): the duration \(length.map { "\($0) s" } ?? "is not a number") (allowed \(limits.minTimerSeconds) to \(limits.maxTimerSeconds) s)\(length == nil ? durationProblem.map { because($0) } ?? "" : "")"))
                    continue
                }
                let timer = detector.timer(id)
                if timer.deadline == nil && detector.runningTimerCount >= limits.maxTimersPerDetector {
                    fail(failure(.limit, "setTimer", eventName: eventName,
                         "timer \(version.timerNames[id]): \(limits.maxTimersPerDetector) timers are running (limit maxTimersPerDetector)"))
                    continue
                }
                arm(id, seconds: length)
                if tracesConditions { logTimer("setTimer", id, eventName) }
            case .resetTimer(let id):
                // §4.3 (settled 2026-12-04): the duration is remembered for the detector's life,
                // so a timer that fired or was cleared restarts too; only a name this detector
                // never set is a no-op. Like setTimer, restarting discards a pending timeout mark.
                let timer = detector.timer(id)
                guard timer.seconds > 0 else {
                    let name = version.timerNames[id]
                    log(.debug, "actionSkipped", eventName: eventName, "resetTimer skipped: timer \(name) was never set") { w in
                        w.key("actionType"); w.value("resetTimer")
                        w.key("timerName"); w.value(name)
                    }
                    continue
                }
                if timer.deadline == nil && detector.runningTimerCount >= limits.maxTimersPerDetector {
                    fail(failure(.limit, "resetTimer", eventName: eventName,
                         "timer \(version.timerNames[id]): \(limits.maxTimersPerDetector) timers are running (limit maxTimersPerDetector)"))
                    continue
                }
                arm(id, seconds: timer.seconds)
                if tracesConditions { logTimer("resetTimer", id, eventName) }
            case .clearTimer(let id):
                var timer = detector.timer(id)
                if timer.deadline != nil { runningDelta -= 1 }
                timer.deadline = nil
                timer.pendingTimeout = false
                detector.setTimer(id, timer)
                if tracesConditions { logTimer("clearTimer", id, eventName) }
            case .external(let external):
                runExternal(external, eventName)
            }
        }
    }

    private mutating func logTimer(_ actionType: String, _ id: Int, _ eventName: String) {
        let timer = detector.timer(id)
        let name = version.timerNames[id]
        log(.debug, "actionExecuted", eventName: eventName, "\(actionType) \(name)") { w in
            w.key("actionType"); w.value(actionType)
            w.key("timerName"); w.value(name)
            if let deadline = timer.deadline {
                w.key("seconds"); w.value(timer.seconds)
                w.key("deadline"); w.value(deadline)
            }
        }
    }

    /// A duration expression's value in whole seconds: Integers as they are, Decimals floored (§4.3).
    static func seconds(_ value: ExpressionValue) -> Int64? {
        switch value {
        case .integer(let n): return n
        case .decimal(let d):
            let f = d.rounded(.down)
            guard f >= -9.0e18, f <= 9.0e18 else { return nil }
            return Int64(f)
        default: return nil
        }
    }

    /// (Re)starts timer `id`: a new deadline and generation; an unconsumed expiry mark is
    /// discarded (§4.3).
    ///
    /// A running timer moved to a later deadline (a heartbeat's `resetTimer` on every message)
    /// keeps its queue entry: the entry is due first and is then moved to the new deadline
    /// (`Engine.requeueIfRearmed`), instead of a new entry per re-arm and a sweep of the stale
    /// ones. Otherwise the engine queues a new entry, which makes the old one stale.
    private mutating func arm(_ id: Int, seconds: Int64) {
        var timer = detector.timer(id)
        let deadline = now.adding(seconds: seconds)
        let keepsEntry = timer.deadline.map { deadline >= $0 } ?? false
        if timer.deadline == nil { runningDelta += 1 }
        timer.deadline = deadline
        timer.seconds = seconds
        timer.generation = nextGeneration
        nextGeneration &+= 1
        timer.pendingTimeout = false
        if !keepsEntry {
            timer.queued = timer.generation
            armed.append((id, deadline, timer.generation))
        }
        detector.setTimer(id, timer)
    }

    var executionIdPrefix: (model: String, key: String) { (model.name, detector.key) }

    func actionSource(_ eventName: String) -> ActionSource {
        ActionSource(
            modelName: model.name, modelVersion: version.versionText, keyValue: detector.keyValue,
            stateName: version.compiled.states[detector.state].name, eventName: eventName)
    }

    /// The default payload document (§4.5), as of the moment the action runs.
    mutating func defaultPayload(_ eventName: String) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("eventTime"); w.value(eventTime)
        w.key("payload"); w.beginObject()
        w.key("actionExecutionId"); w.value(newExecutionId(eventName))
        w.key("detector"); w.beginObject()
        w.key("detectorModelName"); w.value(model.name)
        if let key = detector.keyValue { w.key("keyValue"); w.value(key) }
        w.key("detectorModelVersion"); w.value(version.versionText)
        w.endObject()
        w.key("eventTriggerDetails"); w.beginObject()
        switch trigger {
        case .message(_, let inputName, let messageId):
            w.key("inputName"); w.value(inputName)
            w.key("messageId"); w.value(messageId)
            w.key("triggerType"); w.value("Message")
        case .timer(_, let name):
            w.key("triggerType"); w.value("Timer")
            w.key("timerName"); w.value(name)
        }
        w.endObject()
        w.key("state"); w.beginObject()
        w.key("stateName"); w.value(version.compiled.states[detector.state].name)
        w.key("variables"); w.beginObject()
        for (slot, value) in detector.variables.enumerated() where !value.isUndefined {
            w.key(text: version.variableNames[slot]); w.value(value)
        }
        w.endObject()
        w.key("timers"); w.beginObject()
        for (id, timer) in detector.timers.enumerated() {
            guard let deadline = timer.deadline else { continue }
            w.key(text: version.timerNames[id]); w.beginObject()
            w.key("timestamp"); w.value(deadline)
            w.endObject()
        }
        w.endObject()
        w.endObject()
        w.endObject()
        w.key("eventName"); w.value(eventName)
        w.endObject()
        return w.text
    }

    // MARK: ExpressionContext

    var maxStringBytes: Int { limits.maxStringBytes }

    func variable(at slot: Int) -> ExpressionValue { detector.variable(slot) }

    func inputAttribute(at slot: Int) -> ExpressionValue {
        slot < detector.attributes.count ? detector.attributes[slot] : .undefined
    }

    var isMessageTrigger: Bool { trigger.isMessage }

    var isTimerTrigger: Bool { !trigger.isMessage }

    func isCurrentInput(_ input: Int) -> Bool { trigger.isMessage(onInput: input) }

    func isCurrentInput(named name: String) -> Bool { trigger.isMessage(onInputNamed: name) }

    mutating func consumeTimeout(_ id: Int) -> Bool {
        var timer = detector.timer(id)
        guard timer.pendingTimeout else { return false }
        timer.pendingTimeout = false
        detector.setTimer(id, timer)
        return true
    }

    mutating func consumeTimeout(named name: String) -> Bool {
        guard let id = version.timerId(name) else { return false }
        return consumeTimeout(id)
    }
}
