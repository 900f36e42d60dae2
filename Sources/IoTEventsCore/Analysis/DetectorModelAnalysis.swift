/// What an analysis knows of the engine besides the definition: the inputs that exist with
/// their declared attributes, and the limits the model would be created under.
package struct AnalysisEnvironment: Sendable {
    package var inputs: [String: [AttributePath]]
    package var limits: Limits
    /// How many detector models each input already feeds (for maxModelsPerInput).
    package var modelsPerInput: [String: Int]

    package init(inputs: [String: [AttributePath]], limits: Limits, modelsPerInput: [String: Int] = [:]) {
        self.inputs = inputs
        self.limits = limits
        self.modelsPerInput = modelsPerInput
    }
}

/// The detector model analysis of docs/behaviour.md §8: plain Swift over the definition and the
/// parsed expression trees. Deterministic: results come in a fixed order (by type in the order
/// of `run`, then by the definition's order), so transcripts and pages are stable.
package enum DetectorModelAnalysis {
    package static func analyze(_ definition: DetectorModelDefinition, _ environment: AnalysisEnvironment) -> [AnalysisResult] {
        var analyzer = ModelAnalyzer(definition, environment)
        analyzer.run()
        return analyzer.results
    }
}

/// One analysis in progress; each `check…` pass lives in its own file (`ModelAnalyzer+….swift`).
struct ModelAnalyzer {
    let definition: DetectorModelDefinition
    let environment: AnalysisEnvironment
    let sites: ModelSites
    /// What CreateDetectorModel's structural check finds (structure and service-limits errors).
    let structureProblems: [DefinitionProblem]
    /// Parallel to `sites.expressions`: the tree, or nil when the expression does not parse.
    var syntax: [ExpressionSyntax?] = []
    /// Parallel to `sites.expressions`: the parser's error, when there is one.
    var syntaxErrors: [ExpressionError?] = []
    var results: [AnalysisResult] = []

    init(_ definition: DetectorModelDefinition, _ environment: AnalysisEnvironment) {
        self.definition = definition
        self.environment = environment
        self.sites = ModelSites(definition)
        self.structureProblems = definition.structureProblems(limits: environment.limits)
    }

    var limits: Limits { environment.limits }

    mutating func run() {
        parseExpressions()
        checkSupportedActions()
        checkServiceLimits()
        checkStructure()
        checkExpressionSyntax()
        checkReferencedData()
        checkReferencedResources()
        checkDataTypes()
    }

    mutating func add(_ type: AnalysisResult.Kind, _ level: AnalysisResult.Level, _ message: String, _ locations: [String]) {
        results.append(AnalysisResult(type, level, message, locations))
    }

    /// Parses every expression once, without the static type checks (those are the data-type
    /// pass's), so that a type error does not hide the references of an expression.
    private mutating func parseExpressions() {
        for site in sites.expressions {
            do throws(ExpressionError) {
                syntax.append(try ExpressionParser.parse(site.text, maxDepth: limits.maxExpressionDepth, checkTypes: false))
                syntaxErrors.append(nil)
            } catch {
                syntax.append(nil)
                syntaxErrors.append(error)
            }
        }
    }

    /// Index of each state by name (the first, when a name is defined twice).
    var stateIndex: [String: Int] {
        var index: [String: Int] = [:]
        for (i, s) in definition.states.enumerated() where index[s.stateName] == nil { index[s.stateName] = i }
        return index
    }

    /// The states reachable from the initial state through transitions; empty when the initial
    /// state is not defined.
    var reachableStates: [Bool] {
        var reachable = Array(repeating: false, count: definition.states.count)
        let index = stateIndex
        guard let start = index[definition.initialStateName] else { return reachable }
        reachable[start] = true
        var work = [start]
        while let s = work.popLast() {
            for t in definition.states[s].transitions {
                if let next = index[t.nextState], !reachable[next] {
                    reachable[next] = true
                    work.append(next)
                }
            }
        }
        return reachable
    }
}
