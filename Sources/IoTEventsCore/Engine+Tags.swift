/// TagResource, UntagResource, ListTagsForResource: tags live on the resource an ARN names.
extension Engine {
    package func tagResource(arn: String, tags: [ResourceTag]) throws(ServiceError) {
        let current = try self.tags(of: arn)
        let merged = current.merging(tags)
        if merged.count > TagSet.maximumCount {
            throw .limitExceeded("Resource \(arn) would have \(merged.count) tags; at most \(TagSet.maximumCount) are allowed")
        }
        try setTags(merged, of: arn)
    }

    package func untagResource(arn: String, keys: [String]) throws(ServiceError) {
        var current = try self.tags(of: arn)
        current.remove(keys: keys)
        try setTags(current, of: arn)
    }

    package func tags(of arn: String) throws(ServiceError) -> TagSet {
        switch try resource(arn) {
        case .input(let name): return inputs[name]?.tags ?? TagSet()
        case .detectorModel(let name): return detectorModels[name]?.tags ?? TagSet()
        case .alarmModel(let name): return alarmModels[name]?.tags ?? TagSet()
        }
    }

    private func setTags(_ tags: TagSet, of arn: String) throws(ServiceError) {
        switch try resource(arn) {
        case .input(let name):
            if var input = inputs[name] {
                input.tags = tags
                inputs.set(name, input)
            }
        case .detectorModel(let name):
            detectorModels[name]?.tags = tags
        case .alarmModel(let name):
            alarmModels[name]?.tags = tags
        }
    }

    /// A tag set for a new resource, from the `tags` member of its create call. Too many tags
    /// is `limitError`: LimitExceededException where the operation's service model lists it
    /// (CreateDetectorModel, CreateAlarmModel; §6.0), InvalidRequestException where it does not
    /// (CreateInput).
    static func newTagSet(_ tags: [ResourceTag], member: String, limitError: ServiceError.Kind = .limitExceeded) throws(ServiceError) -> TagSet {
        let set = TagSet().merging(tags)
        if set.count > TagSet.maximumCount {
            throw ServiceError(limitError, "\(member): \(set.count) tags given; at most \(TagSet.maximumCount) are allowed")
        }
        return set
    }

    private enum TaggedResource {
        case input(String)
        case detectorModel(String)
        case alarmModel(String)
    }

    /// The existing resource `arn` names.
    private func resource(_ arn: String) throws(ServiceError) -> TaggedResource {
        guard let (kind, name) = names.parse(arn) else {
            throw .notFound("Resource \(arn) does not exist: not an ARN of an input, detector model or alarm model of this engine (region \(names.region), account \(names.accountId))")
        }
        switch kind {
        case .input:
            guard inputs.contains(name) else { throw .notFound("Resource \(arn) does not exist") }
            return .input(name)
        case .detectorModel:
            guard detectorModels.contains(name) else { throw .notFound("Resource \(arn) does not exist") }
            return .detectorModel(name)
        case .alarmModel:
            guard alarmModels.contains(name) else { throw .notFound("Resource \(arn) does not exist") }
            return .alarmModel(name)
        }
    }
}
