/// data-type: a type inference over the whole model.
///
/// * ERROR: an operator or function applied to operand types known from literals and function
///   results (the parser's static checks of §3.9, which CreateDetectorModel applies too).
/// * INFO: the types each variable is assigned across the model's `setVariable` actions.
/// * WARNING: a variable assigned values of different types; a variable or input attribute used
///   with different types; a comparison of a variable whose inferred type differs from the other
///   side's (`$variable.mode == 3` when every assignment is a String); a condition that is not
///   Boolean (it never fires, §3.9); a duration that is not a number; a variable read in a state
///   that no path from the initial state has set it on; `timeout("t")` of a timer no action sets,
///   which is always false (referenced-data reports the timer itself).
extension ModelAnalyzer {
    mutating func checkDataTypes() {
        for (k, site) in sites.expressions.enumerated() where syntax[k] != nil {
            do throws(ExpressionError) {
                _ = try ExpressionParser.parse(site.text, maxDepth: limits.maxExpressionDepth, checkTypes: true)
            } catch {
                add(.dataType, .error, "The expression \(quoted(site.text)) mixes incompatible types: \(error.description)", [site.path])
            }
        }
        let assigned = variableTypes()
        for (name, all) in assigned.entries {
            // Only what is known: `$variable.n + 1` with `n` of unknown type adds nothing.
            // `number` (Integer or Decimal, not known which) adds nothing beside a known number.
            let hasNumber = all.contains { $0.type == .integer || $0.type == .decimal }
            let types = all.filter { $0.type != .unknown && !(hasNumber && $0.type == .number) }
            if types.isEmpty { continue }
            let names = types.map { $0.type.name }
            add(.dataType, .info, "Inferred data types [\(names.joined(separator: ", "))] for $variable.\(name)", types.flatMap { $0.paths })
            var categories: [Int] = []
            for t in types { if let c = t.type.category, !categories.contains(c) { categories.append(c) } }
            if categories.count > 1 {
                add(.dataType, .warning, "$variable.\(name) is assigned values of different types: \(names.joined(separator: ", "))", types.flatMap { $0.paths })
            }
        }
        var inference = TypeInference(variables: assigned)
        for (k, site) in sites.expressions.enumerated() {
            guard let tree = syntax[k] else { continue }
            inference.path = site.path
            let type = inference.type(of: tree)
            if site.role == .condition, type != .unknown, type != .boolean {
                add(.dataType, .warning, "The condition is \(type == .number ? "a number" : type.name), not Boolean: it never fires", [site.path])
            }
            if site.role == .duration, type == .string || type == .boolean {
                add(.dataType, .warning, "The duration is \(type.name), not a number of seconds: the timer is never set", [site.path])
            }
        }
        for m in inference.mismatches { add(.dataType, .warning, m.message, [m.path]) }
        for (key, uses) in inference.uses.entries {
            var categories: [Int] = []
            var names: [String] = []
            for u in uses {
                if let c = u.type.category, !categories.contains(c) { categories.append(c); names.append(u.type == .number ? "a number" : "a " + u.type.name) }
            }
            if categories.count > 1 {
                add(.dataType, .warning, "\(key) is compared with \(names.joined(separator: " and with ")) in different places: it cannot be both", ModelAnalyzer.unique(uses.flatMap { $0.paths }))
            }
        }
        checkReadsBeforeSet()
        checkTimeoutsOfUnsetTimers()
    }

    /// Paths once each, in order: one expression may compare a reference with both types.
    static func unique(_ paths: [String]) -> [String] {
        var result: [String] = []
        for p in paths where !result.contains(p) { result.append(p) }
        return result
    }

    /// The types each variable is assigned, found by iterating to a fixed point: an assignment
    /// may copy another variable whose type is only known after a pass.
    private func variableTypes() -> VariableTypes {
        var result = VariableTypes()
        for _ in 0..<4 {
            var next = VariableTypes()
            var inference = TypeInference(variables: result)
            for (k, site) in sites.expressions.enumerated() {
                guard case .value(let name) = site.role, let tree = syntax[k] else { continue }
                next.note(name, inference.type(of: tree), site.path)
            }
            // Each pass notes the same variables in the same order: types compare by position.
            if next.singleTypes == result.singleTypes && next.count == result.count { return next }
            result = next
        }
        return result
    }

    /// `timeout("t")` where no setTimer action sets `t`: its value is false whatever happens.
    private mutating func checkTimeoutsOfUnsetTimers() {
        var set = NameSet()
        for site in sites.actions {
            if case .setTimer(let name, _, _) = site.action { set.insert(name) }
        }
        var never = Findings()
        for (k, site) in sites.expressions.enumerated() {
            guard let tree = syntax[k] else { continue }
            for t in ExpressionReferences(tree).timers where !set.contains(t) { never.note(t, site.path) }
        }
        for (name, paths) in never.entries {
            add(.dataType, .warning, "timeout(\"\(name)\") is always false: no setTimer action sets the timer \(name)", paths)
        }
    }

    /// A variable read in a state that it cannot have been set on arrival at (no path from the
    /// initial state sets it before) and that does not set it itself. Variables no action sets
    /// at all are referenced-data's.
    private mutating func checkReadsBeforeSet() {
        let states = definition.states
        let index = stateIndex
        guard index[definition.initialStateName] != nil else { return }
        // Name sets (hashed): a definition may hold thousands of variables, and list
        // membership would make this quadratic.
        var setIn = Array(repeating: NameSet(), count: states.count)
        var everSet = NameSet()
        for site in sites.actions {
            if case .setVariable(let name, _) = site.action {
                setIn[site.state].insert(name)
                everSet.insert(name)
            }
        }
        let reached = reachableStates
        // Per variable read: the states it may be set on arrival at, those one or more
        // transitions after a reached state that sets it. One search per variable, O(states +
        // transitions) each, whatever order the states come in.
        var setOnEntry: [String: [Bool]] = [:]
        var early = Findings()
        for (k, site) in sites.expressions.enumerated() where reached[site.state] {
            guard let tree = syntax[k] else { continue }
            for v in ExpressionReferences(tree).variables where everSet.contains(v) && !setIn[site.state].contains(v) {
                if setOnEntry[v] == nil { setOnEntry[v] = statesAfterSetting(v, setIn, reached, index) }
                if setOnEntry[v]?[site.state] == false {
                    early.note("$variable.\(v) in state \(states[site.state].stateName)", site.path)
                }
            }
        }
        for (key, paths) in early.entries {
            add(.dataType, .warning, "\(key) is read before any state on the way there sets it: it is undefined there", paths)
        }
    }
}

extension ModelAnalyzer {
    /// The states one or more transitions after a reached state that sets `v`.
    fileprivate func statesAfterSetting(_ v: String, _ setIn: [NameSet], _ reached: [Bool], _ index: [String: Int]) -> [Bool] {
        let states = definition.states
        var marked = Array(repeating: false, count: states.count)
        var work: [Int] = []
        for s in states.indices where reached[s] && setIn[s].contains(v) { work.append(s) }
        var expanded = Array(repeating: false, count: states.count)
        while let s = work.popLast() {
            if expanded[s] { continue }
            expanded[s] = true
            for t in states[s].transitions {
                guard let next = index[t.nextState] else { continue }
                marked[next] = true
                if !expanded[next] { work.append(next) }
            }
        }
        return marked
    }
}

/// Each variable's assigned types, in order of first assignment, with where each was assigned.
struct VariableTypes {
    private(set) var entries: [(name: String, types: [(type: StaticType, paths: [String])])] = []
    private var positions: [String: Int] = [:]

    var count: Int { entries.reduce(0) { $0 + $1.types.count } }

    mutating func note(_ name: String, _ type: StaticType, _ path: String) {
        guard let i = positions[name] else {
            positions[name] = entries.count
            entries.append((name, [(type, [path])]))
            return
        }
        if let j = entries[i].types.firstIndex(where: { $0.type == type }) {
            entries[i].types[j].paths.append(path)
        } else {
            entries[i].types.append((type, [path]))
        }
    }

    func position(of name: String) -> Int? { positions[name] }

    /// Each variable's type where all its known assignments have one category (`number` when
    /// Integers and Decimals mix), `unknown` where they have none; by position in `entries`.
    var singleTypes: [StaticType] {
        var result: [StaticType] = []
        result.reserveCapacity(entries.count)
        for (_, types) in entries {
            var known = types.map { $0.type }.filter { $0 != .unknown }
            // `$variable.n - 1` is a number of n's own kind: it must not hide that kind.
            if known.contains(where: { $0 == .integer || $0 == .decimal }) { known.removeAll { $0 == .number } }
            if let first = known.first, known.allSatisfy({ $0 == first }) {
                result.append(first)
            } else if !known.isEmpty && known.allSatisfy({ $0.isNumeric }) {
                result.append(.number)
            } else {
                result.append(.unknown)
            }
        }
        return result
    }
}
