/// StartDetectorModelAnalysis, DescribeDetectorModelAnalysis, GetDetectorModelAnalysisResults
/// (docs/behaviour.md §8). The analysis runs synchronously inside Start; Describe reports the
/// status sequence a client polling AWS saw: the first Describe of an analysis answers RUNNING,
/// every later one COMPLETE. Results can be read at once, for 24 hours (engine clock).
extension Engine {
    package func startDetectorModelAnalysis(_ definition: DetectorModelDefinition) -> String {
        var inputs: [String: [AttributePath]] = [:]
        for input in self.inputs.all { inputs[input.name] = input.attributes }
        var routed: [String: Int] = [:]
        for (input, models) in detectorModels.routes { routed[input] = models.count }
        let environment = AnalysisEnvironment(inputs: inputs, limits: limits, modelsPerInput: routed)
        let results = DetectorModelAnalysis.analyze(definition, environment)
        let now = clock.now()
        analyses.expire(now: now)
        return analyses.add(results, started: now, limit: limits.maxAnalyses)
    }

    package func describeDetectorModelAnalysis(_ id: String) throws(ServiceError) -> AnalysisStore.Status {
        guard let i = analyses.index(of: id, now: clock.now()) else { throw Engine.analysisNotFound(id) }
        let first = analyses.entries[i].describes == 0
        analyses.noteDescribe(i)
        return first ? .running : .complete
    }

    package func detectorModelAnalysisResults(_ id: String, nextToken: String?, maxResults: Int) throws(ServiceError) -> (results: [AnalysisResult], nextToken: String?) {
        guard let i = analyses.index(of: id, now: clock.now()) else { throw Engine.analysisNotFound(id) }
        let scope = "analysisResults/" + id
        var start = 0
        if let token = nextToken {
            guard let text = PageToken.decode(token, scope: scope), let n = Int(text), n >= 0 else {
                throw .invalidRequest("nextToken is not a token GetDetectorModelAnalysisResults issued for this analysis")
            }
            start = n
        }
        let all = analyses.entries[i].results
        guard maxResults >= 1 else { throw .invalidRequest("maxResults: \(maxResults) is below the minimum of 1") }
        let from = min(start, all.count)
        let to = from + min(maxResults, all.count - from)
        let next = to < all.count ? PageToken.encode(scope: scope, after: "\(to)") : nil
        return (Array(all[from..<to]), next)
    }

    static func analysisNotFound(_ id: String) -> ServiceError {
        ServiceError(.resourceNotFound, "Analysis \(id) does not exist (analyses are kept for 24 hours, at most limits.maxAnalyses of them)")
    }
}
