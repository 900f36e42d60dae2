/// PutLoggingOptions / DescribeLoggingOptions: the engine keeps the options exactly as given
/// (`roleArn` is kept, not used) and writes the log records they ask for to the host's log
/// handler (`TracePolicy`, `include/iotevents.h` "Logging and counters").
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
