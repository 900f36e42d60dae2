/// The field-by-field layout of each piece of engine state in a snapshot (EngineSnapshot.swift).
/// Writers and readers sit side by side so that a field added to one is seen missing in the other.
enum SnapshotFields {
    // -- small values -----------------------------------------------------------------------------

    static func write(_ s: String?, _ w: inout ByteWriter) {
        w.bool(s != nil)
        if let s { w.string(s) }
    }

    static func readOptionalString(_ r: inout ByteReader) throws(ByteReadError) -> String? {
        try r.bool() ? try r.string() : nil
    }

    static func write(_ t: Millis?, _ w: inout ByteWriter) {
        w.bool(t != nil)
        if let t { w.i64(t) }
    }

    static func readOptionalMillis(_ r: inout ByteReader) throws(ByteReadError) -> Millis? {
        try r.bool() ? try r.i64() : nil
    }

    static func write(_ v: ExpressionValue, _ w: inout ByteWriter) {
        switch v {
        case .integer(let i): w.u8(1); w.i64(i)
        case .decimal(let d): w.u8(2); w.double(d)
        case .string(let s): w.u8(3); w.string(s)
        case .boolean(let b): w.u8(4); w.bool(b)
        case .null: w.u8(5)
        case .undefined: w.u8(6)
        }
    }

    static func readValue(_ r: inout ByteReader) throws(ByteReadError) -> ExpressionValue {
        switch try r.u8() {
        case 1: return .integer(try r.i64())
        case 2: return .decimal(try r.double())
        case 3: return .string(try r.string())
        case 4: return .boolean(try r.bool())
        case 5: return .null
        case 6: return .undefined
        default: throw r.failure("an unknown value kind")
        }
    }

    static func write(_ values: [ExpressionValue], _ w: inout ByteWriter) {
        w.count(values.count)
        for v in values { write(v, &w) }
    }

    static func readValues(_ r: inout ByteReader) throws(ByteReadError) -> [ExpressionValue] {
        var values: [ExpressionValue] = []
        for _ in 0..<(try r.count()) { values.append(try readValue(&r)) }
        return values
    }

    static func write(_ tags: TagSet, _ w: inout ByteWriter) {
        w.count(tags.count)
        for tag in tags.tags {
            w.string(tag.key)
            w.string(tag.value)
        }
    }

    static func readTags(_ r: inout ByteReader) throws(ByteReadError) -> TagSet {
        var tags: [ResourceTag] = []
        for _ in 0..<(try r.count(minimumElementBytes: 8)) {
            let key = try r.string()
            tags.append(ResourceTag(key: key, value: try r.string()))
        }
        return TagSet().merging(tags)
    }

    static func write(_ key: AttributePath?, _ w: inout ByteWriter) { write(key?.text, &w) }

    static func readKey(_ r: inout ByteReader) throws(ByteReadError) -> AttributePath? {
        try readOptionalString(&r).map { AttributePath($0) }
    }

    static func names(_ list: [String], _ w: inout ByteWriter) {
        w.count(list.count)
        for name in list { w.string(name) }
    }

    static func readNames(_ r: inout ByteReader) throws(ByteReadError) -> [String] {
        var list: [String] = []
        for _ in 0..<(try r.count(minimumElementBytes: 4)) { list.append(try r.string()) }
        return list
    }

    /// A String-backed enum by its raw value.
    static func readEnum<E: RawRepresentable>(_ r: inout ByteReader, _ type: E.Type) throws(ByteReadError) -> E where E.RawValue == String {
        let text = try r.string()
        guard let value = E(rawValue: text) else { throw r.failure("an unknown value '\(text)'") }
        return value
    }

    // -- logging options and inputs ---------------------------------------------------------------

    static func write(_ o: LoggingOptions, _ w: inout ByteWriter) {
        w.string(o.roleArn)
        w.string(o.level)
        w.bool(o.enabled)
        w.bool(o.detectorDebugOptions != nil)
        if let list = o.detectorDebugOptions {
            w.count(list.count)
            for d in list {
                w.string(d.detectorModelName)
                write(d.keyValue, &w)
            }
        }
    }

    static func readLoggingOptions(_ r: inout ByteReader) throws(ByteReadError) -> LoggingOptions {
        let roleArn = try r.string(), level = try r.string(), enabled = try r.bool()
        var debug: [LoggingOptions.DetectorDebugOption]?
        if try r.bool() {
            var list: [LoggingOptions.DetectorDebugOption] = []
            for _ in 0..<(try r.count(minimumElementBytes: 5)) {
                let name = try r.string()
                list.append(.init(detectorModelName: name, keyValue: try readOptionalString(&r)))
            }
            debug = list
        }
        return LoggingOptions(roleArn: roleArn, level: level, enabled: enabled, detectorDebugOptions: debug)
    }

    static func write(_ input: Input, _ w: inout ByteWriter) {
        w.string(input.name)
        write(input.description, &w)
        names(input.attributes.map { $0.text }, &w)
        w.string(input.arn)
        w.i64(input.creationTime)
        w.i64(input.lastUpdateTime)
        w.string(input.status.rawValue)
        write(input.tags, &w)
    }

    static func readInput(_ r: inout ByteReader) throws(ByteReadError) -> Input {
        let name = try r.string()
        let description = try readOptionalString(&r)
        let attributes = try readNames(&r).map { AttributePath($0) }
        let arn = try r.string()
        let created = try r.i64(), updated = try r.i64()
        let status = try readEnum(&r, Input.Status.self)
        return Input(name: name, description: description, attributes: attributes, arn: arn,
                     creationTime: created, lastUpdateTime: updated, status: status, tags: try readTags(&r))
    }

    // -- detector models and detectors ------------------------------------------------------------

    /// What both model kinds write before their versions, and before each version's own
    /// fields (`readRawModel` reads them back).
    static func writeModelHead(_ name: String, _ arn: String, _ key: AttributePath?, _ tags: TagSet, versions: Int, _ w: inout ByteWriter) {
        w.string(name)
        w.string(arn)
        write(key, &w)
        write(tags, &w)
        w.count(versions)
    }

    static func writeVersionHead(_ number: Int, _ request: [UInt8], _ created: Millis, _ updated: Millis, _ status: String, _ w: inout ByteWriter) {
        w.count(number)
        w.run(request)
        w.i64(created)
        w.i64(updated)
        w.string(status)
    }

    static func write<Coder: ModelRequestCoder>(_ model: DetectorModel, _ coder: Coder, _ w: inout ByteWriter) {
        writeModelHead(model.name, model.arn, model.key, model.tags, versions: model.versions.count, &w)
        for v in model.versions {
            writeVersionHead(v.number, coder.encode(v.request), v.creationTime, v.lastUpdateTime, v.status.rawValue, &w)
            // Names BatchUpdateDetector added beyond the definition's own, in slot order.
            names(Array(v.variableNames.dropFirst(v.compiled.symbols.variableNames.count)), &w)
            names(Array(v.timerNames.dropFirst(v.compiled.symbols.timerNames.count)), &w)
        }
        w.count(model.detectors.count)
        model.detectors.forEach { write($0, &w) }
    }

    static func readDetectorModel<Coder: ModelRequestCoder>(_ coder: Coder, _ limits: Limits, _ r: inout ByteReader) throws(SnapshotError) -> DetectorModel {
        let (raw, instances) = try SnapshotError.reading { () throws(ByteReadError) in
            let raw = try readRawModel(&r)
            var instances: [Detector] = []
            for _ in 0..<(try readInstanceCount(&r)) { instances.append(try readDetector(&r)) }
            return (raw, instances)
        }
        var versions: [DetectorModelVersion] = []
        for v in raw.versions {
            let request: DetectorModelRequest
            let compiled: CompiledDetectorModel
            do throws(ServiceError) {
                request = try coder.decodeDetectorModel(v.request)
                compiled = try request.definition.compile(limits: limits)
            } catch {
                throw SnapshotError.model("detector model \(raw.name) version \(v.number)", error)
            }
            let version = DetectorModelVersion(number: v.number, request: request, compiled: compiled, key: raw.key,
                                               creationTime: v.creationTime, lastUpdateTime: v.lastUpdateTime)
            guard let status = DetectorModelVersion.Status(rawValue: v.status) else { throw raw.badStatus(v) }
            version.status = status
            for n in v.addedVariables { _ = version.internVariable(n) }
            for n in v.addedTimers { _ = version.internTimer(n) }
            versions.append(version)
        }
        guard let first = versions.first, let latest = versions.last else { throw raw.noVersion() }
        try checkNumbering(versions, model: "detector model \(raw.name)")
        let model = DetectorModel(name: raw.name, arn: raw.arn, key: raw.key, first: first, tags: raw.tags)
        model.versions = versions
        for d in instances {
            try check(d, against: latest, model: raw.name)
            guard model.detectors.slot(of: d.key) == nil else {
                throw .outOfRange("detector model \(raw.name) holds detector '\(d.key)' twice")
            }
            _ = model.detectors.insert(d)
        }
        return model
    }

    /// A model as read, before its versions are compiled and without its instances (detectors or
    /// alarms, which each kind reads after it: `readInstanceCount`, then one record each).
    struct RawModel {
        struct Version {
            var number: Int
            var request: [UInt8]
            var creationTime: Millis
            var lastUpdateTime: Millis
            var status: String
            var addedVariables: [String]
            var addedTimers: [String]
        }
        var name: String
        var arn: String
        var key: AttributePath?
        var tags: TagSet
        var versions: [Version]

        func badStatus(_ v: Version) -> SnapshotError {
            .bytes(ByteReadError(offset: 0, reason: "model \(name) version \(v.number) has an unknown status '\(v.status)'"))
        }

        func noVersion() -> SnapshotError {
            .bytes(ByteReadError(offset: 0, reason: "model \(name) has no version"))
        }
    }

    /// The fields both model kinds share; detector models also carry added names per version.
    /// Not generic, so that one copy serves both kinds.
    static func readRawModel(_ r: inout ByteReader, addedNames: Bool = true) throws(ByteReadError) -> RawModel {
        let name = try r.string(), arn = try r.string()
        let key = try readKey(&r)
        let tags = try readTags(&r)
        var versions: [RawModel.Version] = []
        for _ in 0..<(try r.count(minimumElementBytes: 20)) {
            let number = try r.count(minimumElementBytes: 0)
            let request = try r.run()
            let created = try r.i64(), updated = try r.i64()
            let status = try r.string()
            let variables = addedNames ? try readNames(&r) : []
            let timers = addedNames ? try readNames(&r) : []
            versions.append(.init(number: number, request: request, creationTime: created, lastUpdateTime: updated,
                                  status: status, addedVariables: variables, addedTimers: timers))
        }
        return RawModel(name: name, arn: arn, key: key, tags: tags, versions: versions)
    }

    /// How many instances (detectors or alarms) follow a model's versions.
    static func readInstanceCount(_ r: inout ByteReader) throws(ByteReadError) -> Int {
        try r.count(minimumElementBytes: 30)
    }

    static func write(_ d: Detector, _ w: inout ByteWriter) {
        w.string(d.key)
        w.count(d.state)
        write(d.variables, &w)
        write(d.attributes, &w)
        w.count(d.timers.count)
        for t in d.timers {
            write(t.deadline, &w)
            w.i64(t.seconds)
            w.u64(t.generation)
            w.bool(t.pendingTimeout)
        }
        w.i64(d.creationTime)
        w.i64(d.lastUpdateTime)
    }

    static func readDetector(_ r: inout ByteReader) throws(ByteReadError) -> Detector {
        let key = try r.string()
        let state = try r.count(minimumElementBytes: 0)
        let variables = try readValues(&r), attributes = try readValues(&r)
        var timers: [DetectorTimer] = []
        for _ in 0..<(try r.count(minimumElementBytes: 18)) {
            var t = DetectorTimer()
            t.deadline = try readOptionalMillis(&r)
            t.seconds = try r.i64()
            t.generation = try r.u64()
            t.queued = t.generation // a snapshot's entries are written as the latest arming
            t.pendingTimeout = try r.bool()
            timers.append(t)
        }
        let created = try r.i64(), updated = try r.i64()
        return Detector(restoring: key, state: state, variables: variables, attributes: attributes, timers: timers,
                        creationTime: created, lastUpdateTime: updated)
    }

    // -- alarm models and alarms ------------------------------------------------------------------

    static func write<Coder: ModelRequestCoder>(_ model: AlarmModel, _ coder: Coder, _ w: inout ByteWriter) {
        writeModelHead(model.name, model.arn, model.key, model.tags, versions: model.versions.count, &w)
        for v in model.versions {
            writeVersionHead(v.number, coder.encode(v.request), v.creationTime, v.lastUpdateTime, v.status.rawValue, &w)
        }
        w.count(model.alarms.count)
        model.alarms.forEach { write($0, &w) }
    }

    static func readAlarmModel<Coder: ModelRequestCoder>(_ coder: Coder, _ limits: Limits, _ r: inout ByteReader) throws(SnapshotError) -> AlarmModel {
        let (raw, instances) = try SnapshotError.reading { () throws(ByteReadError) in
            let raw = try readRawModel(&r, addedNames: false)
            var instances: [Alarm] = []
            for _ in 0..<(try readInstanceCount(&r)) { instances.append(try readAlarm(&r)) }
            return (raw, instances)
        }
        var versions: [AlarmModelVersion] = []
        for v in raw.versions {
            let request: AlarmModelRequest
            let compiled: CompiledAlarmModel
            do throws(ServiceError) {
                request = try coder.decodeAlarmModel(v.request)
                compiled = try request.compile(limits: limits)
            } catch {
                throw SnapshotError.model("alarm model \(raw.name) version \(v.number)", error)
            }
            let version = AlarmModelVersion(number: v.number, request: request, compiled: compiled, key: raw.key,
                                            creationTime: v.creationTime, lastUpdateTime: v.lastUpdateTime)
            guard let status = AlarmModelVersion.Status(rawValue: v.status) else { throw raw.badStatus(v) }
            version.status = status
            versions.append(version)
        }
        guard let first = versions.first, let latest = versions.last else { throw raw.noVersion() }
        try checkNumbering(versions, model: "alarm model \(raw.name)")
        let model = AlarmModel(name: raw.name, arn: raw.arn, key: raw.key, first: first, tags: raw.tags)
        model.versions = versions
        for a in instances {
            try check(a, against: latest, model: raw.name)
            guard model.alarms.slot(of: a.key) == nil else {
                throw .outOfRange("alarm model \(raw.name) holds alarm '\(a.key)' twice")
            }
            _ = model.alarms.insert(a)
        }
        return model
    }

    static func write(_ a: Alarm, _ w: inout ByteWriter) {
        w.string(a.key)
        w.string(a.state.rawValue)
        w.bool(a.ruleEvaluation != nil)
        if let e = a.ruleEvaluation {
            write(e.inputPropertyValue, &w)
            w.string(e.comparisonOperator.rawValue)
            write(e.thresholdValue, &w)
        }
        w.bool(a.customerAction != nil)
        if let c = a.customerAction {
            w.string(c.action.rawValue)
            write(c.note, &w)
            write(c.snoozeDuration, &w)
        }
        w.bool(a.snoozeTimedOut)
        write(a.attributes, &w)
        write(a.snoozeDeadline, &w)
        w.u64(a.snoozeGeneration)
        w.i64(a.creationTime)
        w.i64(a.lastUpdateTime)
    }

    static func readAlarm(_ r: inout ByteReader) throws(ByteReadError) -> Alarm {
        let key = try r.string()
        let state = try readEnum(&r, AlarmStateName.self)
        var evaluation: RuleEvaluationRecord?
        if try r.bool() {
            let value = try readValue(&r)
            let op = try readEnum(&r, ComparisonOperator.self)
            evaluation = RuleEvaluationRecord(inputPropertyValue: value, comparisonOperator: op, thresholdValue: try readValue(&r))
        }
        var action: CustomerActionRecord?
        if try r.bool() {
            let kind = try readEnum(&r, AlarmOperatorAction.self)
            let note = try readOptionalString(&r)
            action = CustomerActionRecord(action: kind, note: note, snoozeDuration: try readOptionalMillis(&r))
        }
        let timedOut = try r.bool()
        let attributes = try readValues(&r)
        let deadline = try readOptionalMillis(&r)
        let generation = try r.u64()
        let created = try r.i64(), updated = try r.i64()
        return Alarm(restoring: key, state: state, ruleEvaluation: evaluation, customerAction: action,
                     snoozeTimedOut: timedOut, attributes: attributes, snoozeDeadline: deadline,
                     snoozeGeneration: generation, creationTime: created, lastUpdateTime: updated)
    }
}

extension Detector {
    init(restoring key: String, state: Int, variables: [ExpressionValue], attributes: [ExpressionValue],
         timers: [DetectorTimer], creationTime: Millis, lastUpdateTime: Millis) {
        self.key = key
        self.state = state
        self.variables = variables
        self.attributes = attributes
        self.timers = timers
        self.creationTime = creationTime
        self.lastUpdateTime = lastUpdateTime
    }
}

extension Alarm {
    init(restoring key: String, state: AlarmStateName, ruleEvaluation: RuleEvaluationRecord?,
         customerAction: CustomerActionRecord?, snoozeTimedOut: Bool, attributes: [ExpressionValue],
         snoozeDeadline: Millis?, snoozeGeneration: UInt64, creationTime: Millis, lastUpdateTime: Millis) {
        self.key = key
        self.state = state
        self.ruleEvaluation = ruleEvaluation
        self.customerAction = customerAction
        self.snoozeTimedOut = snoozeTimedOut
        self.attributes = attributes
        self.snoozeDeadline = snoozeDeadline
        self.snoozeGeneration = snoozeGeneration
        self.creationTime = creationTime
        self.lastUpdateTime = lastUpdateTime
    }
}
