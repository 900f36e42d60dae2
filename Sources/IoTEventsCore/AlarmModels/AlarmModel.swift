/// One version of an alarm model: the request as given (for DescribeAlarmModel), its compiled
/// rule and actions, and its configuration. A class so alarms and listings share one copy.
package final class AlarmModelVersion: NumberedVersion {
    package typealias Status = ModelVersionStatus

    package let number: Int
    package let request: AlarmModelRequest
    package let compiled: CompiledAlarmModel
    package let key: AttributePath?
    package let creationTime: Millis
    package internal(set) var lastUpdateTime: Millis
    package internal(set) var status: Status = .active

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
package final class AlarmModel: VersionedModel {
    package let name: String
    package let arn: String
    package let key: AttributePath?
    package internal(set) var versions: [AlarmModelVersion]
    package internal(set) var tags: TagSet
    let alarms = InstanceTable<Alarm>()
    /// False once the model is deleted: snooze entries that still point here are stale.
    var isLive = true

    init(name: String, arn: String, key: AttributePath?, first: AlarmModelVersion, tags: TagSet) {
        self.name = name
        self.arn = arn
        self.key = key
        self.versions = [first]
        self.tags = tags
    }

    package var alarmCount: Int { alarms.count }
}

extension AlarmModelVersion: LifecycleVersion {
    func retire(at time: Millis) {
        status = .inactive
        lastUpdateTime = time
    }
}

extension AlarmModel: LifecycleModel {}
