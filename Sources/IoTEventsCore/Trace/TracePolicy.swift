/// Which records the engine writes: the logging options as they apply (docs/behaviour.md §9 item 37).
///
/// Nothing is written unless the options say `enabled` and a host receives records (a log
/// handler is set): with logging off, an evaluation pays one comparison.
struct TracePolicy {
    /// The level of records tied to no detector or alarm, and of every instance when the options
    /// list no debug targets; nil when nothing is written.
    private(set) var level: TraceLevel?
    /// `detectorDebugOptions`: only the listed models (and keys, when given) log at `level`;
    /// every other instance logs at ERROR, as AWS gave the level "for" the listed detectors.
    private var targets: [LoggingOptions.DetectorDebugOption]?

    init() {}

    init(options: LoggingOptions?, hostListens: Bool) {
        guard hostListens, let options, options.enabled else { return }
        level = TraceLevel(name: options.level)
        targets = options.detectorDebugOptions
    }

    /// The level for the instance `key` ("" for a keyless model) of model `model`.
    func level(model: String, key: String) -> TraceLevel? {
        guard let level else { return nil }
        guard let targets, level != .error else { return level }
        for target in targets where target.detectorModelName == model {
            guard let wanted = target.keyValue else { return level }
            if wanted == key { return level }
        }
        return .error
    }
}
