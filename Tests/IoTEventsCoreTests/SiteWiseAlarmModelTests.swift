import Testing
@testable import IoTEventsCore

/// SiteWise-sourced alarm models (semantics.md §5.1): which `$sitewise` references compile, what
/// they read, and the alarm state as SiteWise stores it.
@Suite struct SiteWiseAlarmModelTests {
    static let prefix = "$sitewise.assetModel.`am-1`."

    static func request(_ inputProperty: String, threshold: String = "80") -> AlarmModelRequest {
        AlarmModelRequest(
            name: "m", description: nil, roleArn: "arn:aws:iam::123456789012:role/r", severity: nil,
            rule: SimpleRuleDefinition(inputProperty: inputProperty, comparisonOperator: .greater, threshold: threshold),
            notificationActions: nil, eventActions: nil, capabilities: nil)
    }

    @Test func everyResolvedFormParses() {
        let fields: [(String, SiteWiseReference.Field)] = [
            ("propertyValue.value", .value), ("propertyValue.quality", .quality),
            ("propertyValue.timestamp.timeInSeconds", .timeInSeconds),
            ("propertyValue.timestamp.offsetInNanos", .offsetInNanos), ("assetId", .assetId)]
        for (path, field) in fields {
            var steps: [PathStep] = [.member("assetModel"), .member("am-1"), .member("p-1")]
            for part in path.utf8.split(separator: UInt8(ascii: ".")) { steps.append(.member(String(decoding: part, as: UTF8.self))) }
            let r = SiteWiseReference(slot: 3, path: steps)
            #expect(r?.field == field && r?.propertyId == "p-1" && r?.assetModelId == "am-1" && r?.slot == 3)
        }
        #expect(SiteWiseReference(slot: 0, path: [.member("assetModel"), .member("a"), .member("p"), .member("value")]) == nil)
        #expect(SiteWiseReference(slot: 0, path: [.member("assetModel"), .member("a"), .member("p"), .index(0)]) == nil)
        #expect(SiteWiseReference(slot: 0, path: [.member("asset"), .member("a"), .member("p"), .member("assetId")]) == nil)
    }

    @Test func aRuleOnSiteWisePropertiesCompiles() throws {
        let compiled = try Self.request("\(Self.prefix)`p-1`.propertyValue.value", threshold: "\(Self.prefix)`p-2`.propertyValue.value").compile(limits: Limits())
        #expect(compiled.isSiteWise)
        #expect(compiled.reads(propertyId: "p-1") && compiled.reads(propertyId: "p-2") && !compiled.reads(propertyId: "p-3"))
        #expect(compiled.sitewise.count == 2)
    }

    @Test func anAssetIdAloneIsNoRule() {
        #expect(throws: ServiceError.self) { try Self.request("\(Self.prefix)`p-1`.assetId").compile(limits: Limits()) }
        #expect(throws: ServiceError.self) { try Self.request("\(Self.prefix)`p-1`.propertyValue").compile(limits: Limits()) }
    }

    @Test func millisecondsOfATimestamp() {
        let v = AssetPropertyValue(value: .integer(1), quality: "GOOD", timeInSeconds: 1_700_000_000, offsetInNanos: 999_999_999)
        #expect(v.millis == 1_700_000_000_999)
        let far = AssetPropertyValue(value: .integer(1), quality: "GOOD", timeInSeconds: 31_556_889_864_403_199, offsetInNanos: 0)
        #expect(far.millis == nil)
    }

    @Test func sitewiseSpellings() {
        #expect(AlarmStateName.snoozeDisabled.sitewiseName == "SnoozeDisabled")
        #expect(ComparisonOperator.greaterOrEqual.symbol == ">=")
        #expect(AlarmOperatorAction.acknowledge.sitewiseMember == "acknowledge")
    }
}
