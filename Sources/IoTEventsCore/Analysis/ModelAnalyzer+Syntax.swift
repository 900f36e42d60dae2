/// expression-syntax: every expression that does not parse, with the parser's column, as
/// CreateDetectorModel would refuse it (ERROR). An `mqttTopic` that does not parse is a literal
/// topic (§4.4), not an error.
extension ModelAnalyzer {
    mutating func checkExpressionSyntax() {
        for (k, site) in sites.expressions.enumerated() where site.role != .topic {
            guard let error = syntaxErrors[k] else { continue }
            // A blank transition condition is structure's finding: no expression to fix.
            if site.isTransition, ModelAnalyzer.isBlank(site.text) { continue }
            add(.expressionSyntax, .error, "The expression \(quoted(site.text)) does not parse: \(error.description)", [site.path])
        }
    }

    /// The expression as the message shows it: cut at 100 characters so a long payload does
    /// not make an unreadable message.
    func quoted(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let end = scalars.index(scalars.startIndex, offsetBy: 100, limitedBy: scalars.endIndex) ?? scalars.endIndex
        let shown = String(scalars[..<end])
        return end == scalars.endIndex ? "'" + shown + "'" : "'" + shown + "...'"
    }
}
