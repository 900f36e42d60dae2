/// referenced-data (WARNING): input attributes the input does not declare, variables read but
/// never set, timers used but never set. referenced-resource: inputs that do not exist (ERROR,
/// as CreateDetectorModel refuses them) and iotEvents actions sending to inputs that do not
/// exist (WARNING: the model is accepted; the loop-back fails each time it runs).
extension ModelAnalyzer {
    mutating func checkReferencedData() {
        var setVariables = NameSet()
        var setTimers = NameSet()
        var timerUses: [(name: String, path: String)] = []
        for site in sites.actions {
            switch site.action {
            case .setVariable(let name, _): setVariables.insert(name)
            case .setTimer(let name, _, _): setTimers.insert(name)
            case .resetTimer(let name), .clearTimer(let name): timerUses.append((name, site.path))
            case .external: break
            }
        }
        var undeclared = Findings()
        var unsetVariables = Findings()
        for (k, site) in sites.expressions.enumerated() {
            guard let tree = syntax[k] else { continue }
            let refs = ExpressionReferences(tree)
            for (input, path) in refs.inputAttributes {
                if let declared = environment.inputs[input], !ModelAnalyzer.isDeclared(path, declared) {
                    undeclared.note("$input.\(input).\(ModelAnalyzer.text(path))", site.path)
                }
            }
            for v in refs.variables where !setVariables.contains(v) { unsetVariables.note(v, site.path) }
            for t in refs.timers { timerUses.append((t, site.path)) }
        }
        for (key, paths) in undeclared.entries {
            add(.referencedData, .warning, "\(key) is not an attribute the input declares", paths)
        }
        for (name, paths) in unsetVariables.entries {
            add(.referencedData, .warning, "$variable.\(name) is read but no action sets it: it is always undefined", paths)
        }
        var unsetTimers = Findings()
        for use in timerUses where !setTimers.contains(use.name) { unsetTimers.note(use.name, use.path) }
        for (name, paths) in unsetTimers.entries {
            add(.referencedData, .warning, "The timer \(name) is used but no setTimer action sets it", paths)
        }
    }

    mutating func checkReferencedResources() {
        var missing = Findings()
        for (k, site) in sites.expressions.enumerated() {
            guard let tree = syntax[k] else { continue }
            let refs = ExpressionReferences(tree)
            for (input, _) in refs.inputAttributes where environment.inputs[input] == nil { missing.note(input, site.path) }
            for input in refs.currentInputs where environment.inputs[input] == nil { missing.note(input, site.path) }
        }
        for (name, paths) in missing.entries {
            add(.referencedResource, .error, "The input \(name) does not exist", paths)
        }
        var loopbacks = Findings()
        for site in sites.actions {
            guard case .external(let e) = site.action, e.kind == .iotEvents else { continue }
            for p in e.parameters where p.name == "inputName" {
                if case .text(let name) = p.value, environment.inputs[name] == nil { loopbacks.note(name, "\(site.path).inputName") }
            }
        }
        for (name, paths) in loopbacks.entries {
            add(.referencedResource, .warning, "The iotEvents action sends to the input \(name), which does not exist: the action fails each time it runs", paths)
        }
    }

    /// A reference is declared when a declared attribute lies on its path (it reads the attribute
    /// or something inside it) or under it (it reads an object holding one). Index steps end
    /// the comparison: declared paths name members.
    static func isDeclared(_ path: [PathStep], _ declared: [AttributePath]) -> Bool {
        var members: [String] = []
        for step in path {
            guard case .member(let m) = step else { break }
            members.append(m)
        }
        for attribute in declared {
            let n = min(attribute.segments.count, members.count)
            if n > 0, Array(attribute.segments.prefix(n)) == Array(members.prefix(n)) { return true }
        }
        return false
    }

    static func text(_ path: [PathStep]) -> String {
        var s = ""
        for step in path {
            switch step {
            case .member(let m): s += s.isEmpty ? m : "." + m
            case .index(let i): s += "[\(i)]"
            }
        }
        return s
    }
}

/// Findings grouped by what they are about, in order of first appearance, each with its paths
/// (a path once).
struct Findings {
    private(set) var entries: [(key: String, paths: [String])] = []
    /// Position of each key in `entries`, so that noting stays linear in a large definition.
    private var positions: [String: Int] = [:]

    mutating func note(_ key: String, _ path: String) {
        if let i = positions[key] {
            // Paths come in definition order, so a repeat is always the last one noted.
            if entries[i].paths.last != path { entries[i].paths.append(path) }
        } else {
            positions[key] = entries.count
            entries.append((key, [path]))
        }
    }
}
