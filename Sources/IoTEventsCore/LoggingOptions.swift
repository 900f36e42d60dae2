/// PutLoggingOptions / DescribeLoggingOptions: the engine keeps the options exactly as given.
///
/// The engine does not write a log of its own; a host that wants detector debug logging reads
/// these options back and applies them to its own logging.
package struct LoggingOptions: Equatable, Sendable {
    package struct DetectorDebugOption: Equatable, Sendable {
        package var detectorModelName: String
        package var keyValue: String?
        package init(detectorModelName: String, keyValue: String?) {
            self.detectorModelName = detectorModelName
            self.keyValue = keyValue
        }
    }

    package var roleArn: String
    package var level: String
    package var enabled: Bool
    package var detectorDebugOptions: [DetectorDebugOption]?

    package init(roleArn: String, level: String, enabled: Bool, detectorDebugOptions: [DetectorDebugOption]?) {
        self.roleArn = roleArn
        self.level = level
        self.enabled = enabled
        self.detectorDebugOptions = detectorDebugOptions
    }
}

extension Engine {
    package func putLoggingOptions(_ options: LoggingOptions) {
        loggingOptions = options
    }

    package func describeLoggingOptions() throws(ServiceError) -> LoggingOptions {
        guard let options = loggingOptions else {
            throw .notFound("No logging options have been set")
        }
        return options
    }
}
