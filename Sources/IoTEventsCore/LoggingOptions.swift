/// PutLoggingOptions / DescribeLoggingOptions: the engine keeps the options exactly as given.
///
/// The engine does not write a log of its own; a host that wants detector debug logging reads
/// these options back and applies them to its own logging.
public struct LoggingOptions: Equatable, Sendable {
    public struct DetectorDebugOption: Equatable, Sendable {
        public var detectorModelName: String
        public var keyValue: String?
        public init(detectorModelName: String, keyValue: String?) {
            self.detectorModelName = detectorModelName
            self.keyValue = keyValue
        }
    }

    public var roleArn: String
    public var level: String
    public var enabled: Bool
    public var detectorDebugOptions: [DetectorDebugOption]?

    public init(roleArn: String, level: String, enabled: Bool, detectorDebugOptions: [DetectorDebugOption]?) {
        self.roleArn = roleArn
        self.level = level
        self.enabled = enabled
        self.detectorDebugOptions = detectorDebugOptions
    }
}

extension Engine {
    public func putLoggingOptions(_ options: LoggingOptions) {
        loggingOptions = options
    }

    public func describeLoggingOptions() throws(ServiceError) -> LoggingOptions {
        guard let options = loggingOptions else {
            throw .notFound("No logging options have been set")
        }
        return options
    }
}
