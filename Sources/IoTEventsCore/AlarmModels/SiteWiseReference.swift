/// One `$sitewise` reference of a SiteWise-sourced alarm model (docs/behaviour.md §5.1):
/// `$sitewise.assetModel.`<assetModelId>`.`<propertyId>`.<field>`, and the input-attribute slot
/// its value is kept in (so alarms keep and persist it like any retained input value).
package struct SiteWiseReference: Equatable, Sendable {
    /// What the reference reads of the property's latest value, or of the alarm's asset.
    package enum Field: Equatable, Sendable {
        /// `.propertyValue.value`: the value itself (String, Integer, Decimal or Boolean).
        case value
        /// `.propertyValue.quality`: `GOOD`, `BAD` or `UNCERTAIN` (`GOOD` when not given).
        case quality
        /// `.propertyValue.timestamp.timeInSeconds`
        case timeInSeconds
        /// `.propertyValue.timestamp.offsetInNanos` (0 when not given).
        case offsetInNanos
        /// `.assetId`: the asset the alarm belongs to (its instance key).
        case assetId
    }

    package var slot: Int
    package var assetModelId: String
    package var propertyId: String
    package var field: Field

    /// The forms this engine resolves, for error messages.
    static let forms = "$sitewise.assetModel.`<assetModelId>`.`<propertyId>` followed by .propertyValue.value, .propertyValue.quality, .propertyValue.timestamp.timeInSeconds, .propertyValue.timestamp.offsetInNanos or .assetId"

    /// The reference a `$sitewise` path names, or nil when it is not one of `forms`.
    init?(slot: Int, path: [PathStep]) {
        var names: [String] = []
        for step in path {
            guard case .member(let name) = step else { return nil }
            names.append(name)
        }
        guard names.count >= 4, names[0] == "assetModel" else { return nil }
        let rest = Array(names[3...])
        let field: Field
        if rest == ["propertyValue", "value"] {
            field = .value
        } else if rest == ["propertyValue", "quality"] {
            field = .quality
        } else if rest == ["propertyValue", "timestamp", "timeInSeconds"] {
            field = .timeInSeconds
        } else if rest == ["propertyValue", "timestamp", "offsetInNanos"] {
            field = .offsetInNanos
        } else if rest == ["assetId"] {
            field = .assetId
        } else {
            return nil
        }
        self.slot = slot
        self.assetModelId = names[1]
        self.propertyId = names[2]
        self.field = field
    }
}

/// One value of an asset property, as `BatchPutAssetPropertyValue` gives it (§5.1).
package struct AssetPropertyValue: Sendable {
    package var value: ExpressionValue
    package var quality: String
    package var timeInSeconds: Int64
    package var offsetInNanos: Int64

    package init(value: ExpressionValue, quality: String, timeInSeconds: Int64, offsetInNanos: Int64) {
        self.value = value
        self.quality = quality
        self.timeInSeconds = timeInSeconds
        self.offsetInNanos = offsetInNanos
    }

    /// The value's time in epoch milliseconds (the evaluation's event time), nil beyond Int64.
    package var millis: Millis? {
        let (ms, overflow) = timeInSeconds.multipliedReportingOverflow(by: 1000)
        if overflow { return nil }
        let (sum, overflow2) = ms.addingReportingOverflow(offsetInNanos / 1_000_000)
        return overflow2 ? nil : sum
    }
}
