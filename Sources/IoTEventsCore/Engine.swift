/// The whole state of one engine: inputs, models and their running instances, and the clock.
///
/// Not thread-safe by itself: the API layer serialises every call under the engine lock.
/// Every mutating operation either applies completely or throws before changing anything.
public final class Engine {
    public let configuration: EngineConfiguration
    public let names: ResourceNames
    public var clock: EngineClock
    public var limits: Limits { configuration.limits }

    var inputs = NamedRegistry<Input>()
    var loggingOptions: LoggingOptions?

    public init(configuration: EngineConfiguration) {
        self.configuration = configuration
        self.names = ResourceNames(region: configuration.region, accountId: configuration.accountId)
        self.clock = EngineClock(kind: configuration.clock, start: configuration.startTimeMillis)
    }
}
