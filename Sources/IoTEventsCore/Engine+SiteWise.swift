/// SiteWise-sourced alarm models at run time (docs/behaviour.md §5.1): the values
/// `BatchPutAssetPropertyValue` brings evaluate the alarms of every model that reads the
/// property, one alarm per asset.
extension Engine {
    /// The alarm models (in name order) whose latest version reads property `propertyId`.
    package func alarmModels(readingProperty propertyId: String) -> [AlarmModel] {
        var found: [AlarmModel] = []
        for model in alarmModels.all where model.latest.compiled.reads(propertyId: propertyId) {
            found.append(model)
        }
        return found
    }

    /// ListInputRoutings of a SiteWise property (`iotSiteWiseInputIdentifier`): the alarm models
    /// whose latest version reads property `propertyId` of asset model `assetModelId`, in ARN
    /// order; the token is a cursor (the last ARN), as for inputs.
    package func listSiteWiseRoutings(assetModelId: String, propertyId: String, nextToken: String?, maxResults: Int) throws(ServiceError) -> (resources: [(name: String, arn: String)], nextToken: String?) {
        let scope = "inputRoutings/$sitewise/\(assetModelId)/\(propertyId)"
        let after = try Engine.resume(nextToken, scope: scope, operation: "ListInputRoutings")
        var result: [(name: String, arn: String)] = []
        var more = false
        for model in alarmModels.all {
            var reads = false
            for r in model.latest.compiled.sitewise where r.assetModelId == assetModelId && r.propertyId == propertyId { reads = true }
            guard reads else { continue }
            if let after, !ByteOrder.less(after, model.arn) { continue }
            if result.count == maxResults { more = true; break }
            result.append((model.name, model.arn))
        }
        let token = more ? result.last.map { PageToken.encode(scope: scope, after: $0.arn) } : nil
        return (result, token)
    }

    /// Feeds one value of `propertyId` of asset `assetId` to `model`: finds or creates the
    /// asset's alarm, keeps the value (and the asset id) in the slots of the references that read
    /// them, and evaluates the rule at the value's time. The error is for the entry's error list.
    // Optimized for speed, not size: Swift 6.3.1's -Osize (the small profile) miscompiles this
    // function for aarch64-none-none-elf: the `.quality` slot's string reads back as another
    // value (a template of it gave "", a second reference trapped in swift_allocObject); -O is
    // right, and x86-64 is right either way. Found by make test-cross TARGET=aarch64-linux-gnu
    // (case sitewise-alarm-errors); re-check on a toolchain upgrade (docs/building.md).
    @_optimize(speed)
    func deliverAssetPropertyValue(
        _ value: AssetPropertyValue, assetId: String, propertyId: String, to model: AlarmModel,
        eventTime: Millis, output: inout RunOutput
    ) -> ServiceError? {
        let version = model.latest
        let now = clock.now()
        let slot: Int
        if let existing = model.alarms.slot(of: assetId) {
            slot = existing
        } else {
            if model.alarms.count >= limits.maxAlarmsPerModel {
                return .limitExceeded("Alarm model \(model.name) already has \(model.alarms.count) alarms (limit maxAlarmsPerModel = \(limits.maxAlarmsPerModel))")
            }
            slot = model.alarms.insert(Alarm(key: assetId, version: version, now: now))
        }
        guard var alarm = model.alarms.take(slot) else { return nil }
        for r in version.compiled.sitewise where r.slot < alarm.attributes.count {
            switch r.field {
            case .assetId:
                alarm.attributes[r.slot] = .string(assetId)
            case .value where r.propertyId == propertyId:
                alarm.attributes[r.slot] = value.value
            case .quality where r.propertyId == propertyId:
                alarm.attributes[r.slot] = .string(value.quality)
            case .timeInSeconds where r.propertyId == propertyId:
                alarm.attributes[r.slot] = .integer(value.timeInSeconds)
            case .offsetInNanos where r.propertyId == propertyId:
                alarm.attributes[r.slot] = .integer(value.offsetInNanos)
            default:
                break
            }
        }
        let trigger = AlarmTrigger.message(
            input: version.compiled.symbols.inputId(ExpressionSymbols.sitewiseInput), inputName: ExpressionSymbols.sitewiseInput)
        var cycle = makeCycle(model, version, alarm, trigger: trigger, eventTime: eventTime, now: now, depth: 0, output: &output)
        cycle.evaluateRule()
        finish(cycle, at: slot, output: &output)
        return nil
    }
}
