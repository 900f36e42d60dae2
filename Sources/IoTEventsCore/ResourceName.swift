/// The kinds of resource that have ARNs (and so can carry tags).
package enum ResourceKind: Equatable, Sendable {
    case input
    case detectorModel
    case alarmModel

    /// The resource-type word of the ARN: `arn:aws:iotevents:<region>:<account>:<word>/<name>`.
    var arnWord: String {
        switch self {
        case .input: return "input"
        case .detectorModel: return "detectorModel"
        case .alarmModel: return "alarmModel"
        }
    }
}

/// Builds and reads the ARNs the engine synthesises in AWS's form, with the configured region
/// and account id.
package struct ResourceNames: Sendable {
    package let region: String
    package let accountId: String

    package init(region: String, accountId: String) {
        self.region = region
        self.accountId = accountId
    }

    package func arn(_ kind: ResourceKind, _ name: String) -> String {
        "arn:aws:iotevents:\(region):\(accountId):\(kind.arnWord)/\(name)"
    }

    /// Reads an ARN of this engine. Returns nil when `arn` is not one this engine could have issued
    /// (another service, region or account, an unknown resource type, or no name).
    package func parse(_ arn: String) -> (kind: ResourceKind, name: String)? {
        for kind in [ResourceKind.input, .detectorModel, .alarmModel] {
            let prefix = "arn:aws:iotevents:\(region):\(accountId):\(kind.arnWord)/"
            if arn.utf8.count > prefix.utf8.count, arn.utf8HasPrefix(prefix) {
                return (kind, String(decoding: arn.utf8.dropFirst(prefix.utf8.count), as: UTF8.self))
            }
        }
        return nil
    }
}
