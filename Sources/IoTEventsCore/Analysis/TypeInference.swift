/// The static type of an expression given the types inferred for variables, recording on the
/// way how references are used (the type of what they are compared or combined with) and
/// comparisons whose inferred operand types cannot match. Input attributes have no declared
/// type: they are `unknown`, and only their uses are recorded.
struct TypeInference {
    /// The variables' assignments, and each variable's single type by its position there.
    let variables: VariableTypes
    let variableTypes: [StaticType]
    /// The path of the expression being typed, for what is recorded.
    var path = ""
    private(set) var uses = UseTable()
    private(set) var mismatches: [(message: String, path: String)] = []

    init(variables: VariableTypes) {
        self.variables = variables
        variableTypes = variables.singleTypes
    }

    mutating func type(of syntax: ExpressionSyntax) -> StaticType {
        switch syntax {
        case .integer: return .integer
        case .decimal: return .decimal
        case .boolean: return .boolean
        case .string, .template: return .string
        case .inputAttribute, .sitewise, .typeWord: return .unknown
        case .variable(let name):
            guard let position = variables.position(of: name) else { return .unknown }
            return variableTypes[position]
        case .call(let f, let arguments):
            for a in arguments { _ = type(of: a) }
            switch f {
            case .timeout, .isNull, .isUndefined, .triggerType, .currentInput, .startsWith, .endsWith, .contains: return .boolean
            case .bitor, .bitand, .bitxor, .bitnot: return .integer
            case .convert:
                if case .typeWord(let target)? = arguments.first {
                    switch target {
                    case .string: return .string
                    case .boolean: return .boolean
                    case .decimal: return .decimal
                    }
                }
                return .unknown
            }
        case .unary(let op, let operand):
            let t = type(of: operand)
            switch op {
            case .negate: return t.isNumeric ? t : .unknown
            case .not: return .boolean
            case .bitNot: return .integer
            }
        case .chain(let first, let links):
            var left = first
            var leftType = type(of: first)
            for link in links {
                let rightType = type(of: link.operand)
                record(link.op, left, leftType, link.operand, rightType)
                leftType = TypeInference.result(link.op, leftType, rightType)
                left = .chain(left, [link])
            }
            return leftType
        }
    }

    private static func result(_ op: BinaryOperator, _ a: StaticType, _ b: StaticType) -> StaticType {
        switch op {
        case .or, .and, .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return .boolean
        case .bitOr, .bitXor, .bitAnd: return .integer
        case .add:
            if a == .string || b == .string { return .string }
            return arithmetic(a, b)
        case .subtract, .multiply, .divide:
            // These give a number whenever they give anything, whatever their operands are.
            let t = arithmetic(a, b)
            return t == .unknown ? .number : t
        }
    }

    private static func arithmetic(_ a: StaticType, _ b: StaticType) -> StaticType {
        if a == .integer && b == .integer { return .integer }
        if a == .decimal || b == .decimal { return .decimal }
        if a.isNumeric && b.isNumeric { return .number }
        return .unknown
    }

    /// Comparisons and arithmetic tell what type a reference is expected to have.
    private mutating func record(_ op: BinaryOperator, _ a: ExpressionSyntax, _ at: StaticType, _ b: ExpressionSyntax, _ bt: StaticType) {
        switch op {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .subtract, .multiply, .divide: break
        case .or, .and, .bitOr, .bitXor, .bitAnd, .add: return
        }
        note(a, bt)
        note(b, at)
        if let x = at.category, let y = bt.category, x != y, inferred(a) || inferred(b) {
            mismatches.append((
                "The operator '\(op.text)' compares \(TypeInference.describe(a, at)) with \(TypeInference.describe(b, bt)): the types cannot match, so it is never true", path))
        }
    }

    private func inferred(_ s: ExpressionSyntax) -> Bool {
        if case .variable = s { return true }
        return false
    }

    private mutating func note(_ reference: ExpressionSyntax, _ other: StaticType) {
        guard other != .unknown else { return }
        switch reference {
        case .variable(let name): uses.note("$variable.\(name)", other, path)
        case .inputAttribute(let input, let steps): uses.note("$input.\(input).\(ModelAnalyzer.text(steps))", other, path)
        default: break
        }
    }

    private static func describe(_ s: ExpressionSyntax, _ t: StaticType) -> String {
        if case .variable(let name) = s { return "$variable.\(name) (\(t.name))" }
        return t.name
    }
}

/// How each reference is used: the types it meets, with where.
struct UseTable {
    private(set) var entries: [(key: String, uses: [(type: StaticType, paths: [String])])] = []
    private var positions: [String: Int] = [:]

    mutating func note(_ key: String, _ type: StaticType, _ path: String) {
        let t: StaticType = type.isNumeric ? .number : type
        guard let i = positions[key] else {
            positions[key] = entries.count
            entries.append((key, [(t, [path])]))
            return
        }
        if let j = entries[i].uses.firstIndex(where: { $0.type == t }) {
            if !entries[i].uses[j].paths.contains(path) { entries[i].uses[j].paths.append(path) }
        } else {
            entries[i].uses.append((t, [path]))
        }
    }
}
