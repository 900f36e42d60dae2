/// How much the engine tells its host's log handler (`PutLoggingOptions` `level`). Each level
/// includes the ones before it: ERROR (runtime errors, failed actions, refused messages), INFO
/// (also transitions and alarm state changes), DEBUG (also every evaluation's conditions, every
/// action, variable and timer change).
package enum TraceLevel: Int, Sendable {
    case error = 0
    case info = 1
    case debug = 2

    package init?(name: String) {
        switch name {
        case "ERROR": self = .error
        case "INFO": self = .info
        case "DEBUG": self = .debug
        default: return nil
        }
    }

    package var name: String {
        switch self {
        case .error: return "ERROR"
        case .info: return "INFO"
        case .debug: return "DEBUG"
        }
    }

    /// This level's records are written under `threshold` (nil: nothing is).
    func passes(_ threshold: TraceLevel?) -> Bool {
        guard let threshold else { return false }
        return rawValue <= threshold.rawValue
    }
}

/// One record for the host's log handler: its level and its JSON document.
package struct TraceRecord: Sendable {
    package let level: TraceLevel
    package let text: String
}
