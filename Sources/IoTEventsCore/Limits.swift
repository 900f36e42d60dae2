/// Quotas the engine enforces. Defaults follow AWS's quotas (docs/behaviour.md §7); the last group is
/// ours. Every one can be overridden through the `limits` object of the engine configuration.
package struct Limits: Equatable, Sendable {
    package var maxMessagesPerBatch = 10
    package var maxAlarmRequestsPerBatch = 10
    /// Per message, decoded bytes.
    package var maxPayloadBytes = 1024
    /// Sum of one batch's decoded payloads; 0 = no such check.
    package var maxBatchPayloadBytes = 0
    package var minTimerSeconds = 60
    package var maxTimerSeconds: Int64 = 31_622_400
    package var maxTimersPerDetector = 5
    package var maxVariablesPerUpdate = 10
    package var maxDetectorsPerModel = 100_000
    package var maxAlarmsPerModel = 100_000
    package var maxDetectorModels = 50
    package var maxAlarmModels = 50
    package var maxInputs = 50
    package var maxModelsPerInput = 10
    package var maxVersionsPerModel = 500
    package var maxStatesPerModel = 20
    package var maxEventsPerList = 20
    package var maxActionsPerEvent = 10
    package var maxVariablesPerModel = 50
    package var dedupWindowSeconds: Int64 = 300
    package var maxLoopbackDepth = 8
    package var maxRequestBytes = 1_048_576
    package var maxJsonDepth = 64
    package var maxExpressionDepth = 64
    /// A variable's value or an action parameter's evaluated text, in characters (Unicode
    /// scalars): AWS's data API caps a variable's value at 1024.
    package var maxValueChars = 1024
    /// Every trigger one call causes: its messages, their loop-backs, the expiries it runs.
    package var maxEvaluationsPerCall = 1000
    package var maxContentExpressionBytes = 1024
    /// A model definition's JSON text.
    package var maxDefinitionBytes = 524_288
    /// Message ids the de-duplication window remembers; past it the oldest are forgotten first.
    package var maxDedupEntries = 1_000_000
    /// Detector model analyses kept for Describe and GetResults; past it the oldest are dropped.
    package var maxAnalyses = 100

    package init() {}

    /// One configurable limit: its configuration key, the values it accepts, and its storage.
    /// The bounds are 64-bit on every target, so a configuration means the same everywhere (as
    /// `Int`, `1 << 40` was 0 on 32-bit targets, and `open` refused those limits on armv7). A
    /// count kept in an `Int` saturates at `Int.max`, which no count on the target can reach.
    package struct Entry: Sendable {
        package let key: StaticString
        package let minimum: Int64
        package let maximum: Int64
        package let get: @Sendable (Limits) -> Int64
        package let set: @Sendable (inout Limits, Int64) -> Void
    }

    /// Every key of the `limits` configuration object, in documentation order.
    package static let entries: [Entry] = [
        Entry(key: "maxMessagesPerBatch", minimum: 1, maximum: 1_000_000, get: { Int64($0.maxMessagesPerBatch) }, set: { $0.maxMessagesPerBatch = Int(clamping: $1) }),
        Entry(key: "maxAlarmRequestsPerBatch", minimum: 1, maximum: 1_000_000, get: { Int64($0.maxAlarmRequestsPerBatch) }, set: { $0.maxAlarmRequestsPerBatch = Int(clamping: $1) }),
        Entry(key: "maxPayloadBytes", minimum: 1, maximum: 1 << 30, get: { Int64($0.maxPayloadBytes) }, set: { $0.maxPayloadBytes = Int(clamping: $1) }),
        Entry(key: "maxBatchPayloadBytes", minimum: 0, maximum: 1 << 30, get: { Int64($0.maxBatchPayloadBytes) }, set: { $0.maxBatchPayloadBytes = Int(clamping: $1) }),
        Entry(key: "minTimerSeconds", minimum: 1, maximum: 31_622_400, get: { Int64($0.minTimerSeconds) }, set: { $0.minTimerSeconds = Int(clamping: $1) }),
        Entry(key: "maxTimerSeconds", minimum: 1, maximum: 1 << 40, get: { $0.maxTimerSeconds }, set: { $0.maxTimerSeconds = $1 }),
        Entry(key: "maxTimersPerDetector", minimum: 1, maximum: 1_000_000, get: { Int64($0.maxTimersPerDetector) }, set: { $0.maxTimersPerDetector = Int(clamping: $1) }),
        Entry(key: "maxVariablesPerUpdate", minimum: 1, maximum: 1_000_000, get: { Int64($0.maxVariablesPerUpdate) }, set: { $0.maxVariablesPerUpdate = Int(clamping: $1) }),
        Entry(key: "maxDetectorsPerModel", minimum: 1, maximum: 1 << 40, get: { Int64($0.maxDetectorsPerModel) }, set: { $0.maxDetectorsPerModel = Int(clamping: $1) }),
        Entry(key: "maxAlarmsPerModel", minimum: 1, maximum: 1 << 40, get: { Int64($0.maxAlarmsPerModel) }, set: { $0.maxAlarmsPerModel = Int(clamping: $1) }),
        Entry(key: "maxDetectorModels", minimum: 1, maximum: 1_000_000, get: { Int64($0.maxDetectorModels) }, set: { $0.maxDetectorModels = Int(clamping: $1) }),
        Entry(key: "maxAlarmModels", minimum: 1, maximum: 1_000_000, get: { Int64($0.maxAlarmModels) }, set: { $0.maxAlarmModels = Int(clamping: $1) }),
        Entry(key: "maxInputs", minimum: 1, maximum: 1_000_000, get: { Int64($0.maxInputs) }, set: { $0.maxInputs = Int(clamping: $1) }),
        Entry(key: "maxModelsPerInput", minimum: 1, maximum: 1_000_000, get: { Int64($0.maxModelsPerInput) }, set: { $0.maxModelsPerInput = Int(clamping: $1) }),
        Entry(key: "maxVersionsPerModel", minimum: 1, maximum: 1_000_000, get: { Int64($0.maxVersionsPerModel) }, set: { $0.maxVersionsPerModel = Int(clamping: $1) }),
        Entry(key: "maxStatesPerModel", minimum: 1, maximum: 1_000_000, get: { Int64($0.maxStatesPerModel) }, set: { $0.maxStatesPerModel = Int(clamping: $1) }),
        Entry(key: "maxEventsPerList", minimum: 1, maximum: 1_000_000, get: { Int64($0.maxEventsPerList) }, set: { $0.maxEventsPerList = Int(clamping: $1) }),
        Entry(key: "maxActionsPerEvent", minimum: 1, maximum: 1_000_000, get: { Int64($0.maxActionsPerEvent) }, set: { $0.maxActionsPerEvent = Int(clamping: $1) }),
        Entry(key: "maxVariablesPerModel", minimum: 1, maximum: 1_000_000, get: { Int64($0.maxVariablesPerModel) }, set: { $0.maxVariablesPerModel = Int(clamping: $1) }),
        Entry(key: "dedupWindowSeconds", minimum: 0, maximum: 1 << 40, get: { $0.dedupWindowSeconds }, set: { $0.dedupWindowSeconds = $1 }),
        Entry(key: "maxLoopbackDepth", minimum: 0, maximum: 1_000, get: { Int64($0.maxLoopbackDepth) }, set: { $0.maxLoopbackDepth = Int(clamping: $1) }),
        Entry(key: "maxRequestBytes", minimum: 2, maximum: 1 << 30, get: { Int64($0.maxRequestBytes) }, set: { $0.maxRequestBytes = Int(clamping: $1) }),
        // jansson's own parser stops at 2048 levels; ours is checked first, so stay below it.
        Entry(key: "maxJsonDepth", minimum: 2, maximum: 2_000, get: { Int64($0.maxJsonDepth) }, set: { $0.maxJsonDepth = Int(clamping: $1) }),
        Entry(key: "maxExpressionDepth", minimum: 1, maximum: 1_000, get: { Int64($0.maxExpressionDepth) }, set: { $0.maxExpressionDepth = Int(clamping: $1) }),
        Entry(key: "maxValueChars", minimum: 1, maximum: 1 << 20, get: { Int64($0.maxValueChars) }, set: { $0.maxValueChars = Int(clamping: $1) }),
        Entry(key: "maxEvaluationsPerCall", minimum: 1, maximum: 100_000_000, get: { Int64($0.maxEvaluationsPerCall) }, set: { $0.maxEvaluationsPerCall = Int(clamping: $1) }),
        Entry(key: "maxContentExpressionBytes", minimum: 1, maximum: 1 << 20, get: { Int64($0.maxContentExpressionBytes) }, set: { $0.maxContentExpressionBytes = Int(clamping: $1) }),
        Entry(key: "maxDefinitionBytes", minimum: 1, maximum: 1 << 30, get: { Int64($0.maxDefinitionBytes) }, set: { $0.maxDefinitionBytes = Int(clamping: $1) }),
        Entry(key: "maxDedupEntries", minimum: 1, maximum: 1 << 30, get: { Int64($0.maxDedupEntries) }, set: { $0.maxDedupEntries = Int(clamping: $1) }),
        Entry(key: "maxAnalyses", minimum: 1, maximum: 1_000_000, get: { Int64($0.maxAnalyses) }, set: { $0.maxAnalyses = Int(clamping: $1) }),
    ]

    /// Whether `text` is a value a variable may hold or a parameter may carry (`maxValueChars`).
    package func admitsValue(_ text: String) -> Bool {
        let bytes = text.utf8.count
        // A scalar is 1 to 4 UTF-8 bytes: most texts are decided without counting scalars.
        if bytes <= maxValueChars { return true }
        if bytes > maxValueChars * 4 { return false }
        return text.unicodeScalars.count <= maxValueChars
    }

    /// The longest String, in UTF-8 bytes, an expression may build on the way to a value: enough
    /// for any admissible value and any payload, so `+` and templates never grow without bound.
    package var maxStringBytes: Int { max(maxValueChars * 4, maxPayloadBytes) }

    /// The `error` of a loop-back that `maxEvaluationsPerCall` kept from being delivered.
    package static func evaluationBudgetError(_ evaluations: Int, _ limits: Limits) -> String {
        "not delivered: the call has run \(evaluations) evaluations (limit maxEvaluationsPerCall = \(limits.maxEvaluationsPerCall))"
    }
}
