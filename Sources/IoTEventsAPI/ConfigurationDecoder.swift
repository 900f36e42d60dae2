import CJanssonShim
import CLibcShim
import IoTEventsCore

/// The configuration document of `iotevents_open` → `EngineConfiguration`.
/// Every key is optional; an unknown key, a wrong type or a value out of range is an error.
enum ConfigurationDecoder {
    static func decode(_ text: UnsafePointer<CChar>?) throws(ServiceError) -> EngineConfiguration {
        var config = EngineConfiguration()
        guard let text else { return config }
        let length = strnlen_bounded(text, Limits().maxRequestBytes)
        let document = try JSONDocument.parse(text, length: length, maxDepth: 8, what: "The configuration")
        let root = document.root
        guard root.isObject else { throw .invalidRequest("The configuration must be a JSON object") }
        var failure: ServiceError?
        root.forEachMember { keyPointer, value in
            guard failure == nil else { return }
            let key = String(cString: keyPointer)
            do throws(ServiceError) { try apply(key, value, to: &config) } catch { failure = error }
        }
        if let failure { throw failure }
        if config.timerThread && config.clock == .manual {
            throw .invalidRequest("Configuration timerThread needs the system clock; clock is \"manual\"")
        }
        return config
    }

    private static func apply(_ key: String, _ value: JSONValue, to config: inout EngineConfiguration) throws(ServiceError) {
        switch key {
        case "clock":
            switch value.string {
            case "system": config.clock = .system
            case "manual": config.clock = .manual
            default: throw .invalidRequest("Configuration clock must be \"system\" or \"manual\"")
            }
        case "startTimeMillis":
            guard let n = value.integer, n >= 0 else {
                throw .invalidRequest("Configuration startTimeMillis must be an integer >= 0 (epoch milliseconds)")
            }
            config.startTimeMillis = n
        case "inputProjection":
            switch value.string {
            case "declared": config.inputProjection = .declared
            case "payload": config.inputProjection = .payload
            default: throw .invalidRequest("Configuration inputProjection must be \"declared\" or \"payload\"")
            }
        case "alarmRejectedActions":
            switch value.string {
            case "error": config.alarmRejectedActions = .error
            case "ignore": config.alarmRejectedActions = .ignore
            default: throw .invalidRequest("Configuration alarmRejectedActions must be \"error\" or \"ignore\"")
            }
        case "alarmNotifications":
            switch value.string {
            case "acknowledgeFlow": config.alarmNotifications = .acknowledgeFlow
            case "always": config.alarmNotifications = .always
            default: throw .invalidRequest("Configuration alarmNotifications must be \"acknowledgeFlow\" or \"always\"")
            }
        case "timerThread":
            guard let b = value.bool else { throw .invalidRequest("Configuration timerThread must be a boolean") }
            config.timerThread = b
        case "stateDirectory":
            guard let s = value.string, !s.isEmpty else {
                throw .invalidRequest("Configuration stateDirectory must be a non-empty string")
            }
            config.stateDirectory = s
        case "durability":
            switch value.string {
            case "always": config.durability = .always
            case "groupCommit": config.durability = .groupCommit
            default: throw .invalidRequest("Configuration durability must be \"always\" or \"groupCommit\"")
            }
        case "groupCommitMillis":
            guard let n = value.integer, n >= 1, n <= 60000 else {
                throw .invalidRequest("Configuration groupCommitMillis must be an integer from 1 to 60000")
            }
            config.groupCommitMillis = n
        case "snapshotLogBytes":
            guard let n = value.integer, n >= 4096, n <= 1 << 40 else {
                throw .invalidRequest("Configuration snapshotLogBytes must be an integer from 4096 to 2^40")
            }
            config.snapshotLogBytes = n
        case "region":
            guard let s = value.string, isRegion(s) else {
                throw .invalidRequest("Configuration region must be a region name such as \"us-east-1\" (lower-case letters, digits and '-')")
            }
            config.region = s
        case "accountId":
            guard let s = value.string, s.utf8.count == 12, isDigits(s) else {
                throw .invalidRequest("Configuration accountId must be a string of 12 digits")
            }
            config.accountId = s
        case "limits":
            guard value.isObject else { throw .invalidRequest("Configuration limits must be a JSON object") }
            var failure: ServiceError?
            value.forEachMember { keyPointer, limit in
                guard failure == nil else { return }
                do throws(ServiceError) { try applyLimit(String(cString: keyPointer), limit, to: &config.limits) } catch { failure = error }
            }
            if let failure { throw failure }
        default:
            throw .invalidRequest("Unknown configuration key '\(key)'")
        }
    }

    private static func applyLimit(_ key: String, _ value: JSONValue, to limits: inout Limits) throws(ServiceError) {
        for entry in Limits.entries where StaticStrings.string(entry.key) == key {
            guard let n = value.integer, n >= entry.minimum, n <= entry.maximum else {
                throw .invalidRequest("Configuration limits.\(key) must be an integer from \(entry.minimum) to \(entry.maximum)")
            }
            entry.set(&limits, n)
            return
        }
        throw .invalidRequest("Unknown configuration key 'limits.\(key)'")
    }

    private static func isRegion(_ s: String) -> Bool {
        guard !s.isEmpty && s.utf8.count <= 64 else { return false }
        for byte in s.utf8 where !(Chars.isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || byte == UInt8(ascii: "-")) {
            return false
        }
        return true
    }

    private static func isDigits(_ s: String) -> Bool {
        for byte in s.utf8 where !Chars.isDigit(byte) { return false }
        return true
    }
}

/// strlen that stops looking after `limit + 1` bytes (the caller rejects anything that long):
/// libc's strnlen, which reads a word at a time (a byte loop here cost ~550 instructions per
/// message of a 10-message BatchPutMessage).
func strnlen_bounded(_ text: UnsafePointer<CChar>, _ limit: Int) -> Int {
    strnlen(text, limit < Int.max ? limit + 1 : limit)
}
