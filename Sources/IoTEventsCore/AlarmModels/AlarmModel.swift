/// One version of an alarm model: the request as given (for DescribeAlarmModel), its compiled
/// rule and actions, and its configuration. A class so alarms and listings share one copy.
public final class AlarmModelVersion: NumberedVersion {
    public typealias Status = ModelVersionStatus

    public let number: Int
    public let request: AlarmModelRequest
    public let compiled: CompiledAlarmModel
    public let key: AttributePath?
    public let creationTime: Millis
    public internal(set) var lastUpdateTime: Millis
    public internal(set) var status: Status = .active

    init(number: Int, request: AlarmModelRequest, compiled: CompiledAlarmModel, key: AttributePath?,
         creationTime: Millis, lastUpdateTime: Millis) {
        self.number = number
        self.request = request
        self.compiled = compiled
        self.key = key
        self.creationTime = creationTime
        self.lastUpdateTime = lastUpdateTime
    }
}

/// An alarm model: every version, its tags, and its alarms (all of the latest version: an
/// update deletes them, §5.1).
public final class AlarmModel: VersionedModel {
    public let name: String
    public let arn: String
    public let key: AttributePath?
    public internal(set) var versions: [AlarmModelVersion]
    public internal(set) var tags: TagSet
    var alarms = InstanceTable<Alarm>()
    /// False once the model is deleted: snooze entries that still point here are stale.
    var isLive = true

    init(name: String, arn: String, key: AttributePath?, first: AlarmModelVersion, tags: TagSet) {
        self.name = name
        self.arn = arn
        self.key = key
        self.versions = [first]
        self.tags = tags
    }

    public var alarmCount: Int { alarms.count }
}

extension AlarmModelVersion: LifecycleVersion {
    func retire(at time: Millis) {
        status = .inactive
        lastUpdateTime = time
    }
}

extension AlarmModel: LifecycleModel {}
