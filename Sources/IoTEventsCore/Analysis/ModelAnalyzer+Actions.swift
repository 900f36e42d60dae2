/// supported-actions: which actions the engine runs itself and which it hands to the host.
/// The decoder already refuses an action it cannot represent (an unknown member, or several
/// members in one action) with InvalidRequestException naming it, as CreateDetectorModel does,
/// so every action that reaches the analysis is representable: the results here are INFO.
extension ModelAnalyzer {
    mutating func checkSupportedActions() {
        for kind in ExternalActionKind.allCases {
            var paths: [String] = []
            for site in sites.actions {
                if case .external(let e) = site.action, e.kind == kind { paths.append(site.path) }
            }
            if paths.isEmpty { continue }
            add(.supportedActions, .info,
                "\(kind.rawValue) actions are not performed by the engine: each is delivered to the host's action handler as an action document",
                paths)
        }
    }
}
