/// One finding of a detector model analysis (docs/behaviour.md §8), in the shape of the service
/// model's `AnalysisResult`: a type, a level, a message and the paths it concerns. Paths are
/// relative to the definition (`states[1].onInput.events[0].condition`), as AWS gave them.
package struct AnalysisResult: Equatable, Sendable {
    package enum Kind: String, Sendable, CaseIterable {
        case supportedActions = "supported-actions"
        case serviceLimits = "service-limits"
        case structure
        case expressionSyntax = "expression-syntax"
        case dataType = "data-type"
        case referencedData = "referenced-data"
        case referencedResource = "referenced-resource"
    }

    package enum Level: String, Sendable {
        case info = "INFO"
        case warning = "WARNING"
        case error = "ERROR"
    }

    package var type: Kind
    package var level: Level
    package var message: String
    package var locations: [String]

    package init(_ type: Kind, _ level: Level, _ message: String, _ locations: [String]) {
        self.type = type
        self.level = level
        self.message = message
        self.locations = locations
    }
}
