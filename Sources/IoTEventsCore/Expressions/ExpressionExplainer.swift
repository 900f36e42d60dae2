/// Why an expression did not come out true: the first reference, in evaluation order, that had
/// no value, or the first operation that gave none from values it had (a String compared with a
/// number, a division by zero). For DEBUG log records (`resultDetails`), never on the normal path.
///
/// It evaluates sub-trees again against `context`, which must answer as the real evaluation was
/// answered (`timeout()` marks as they were before it consumed them); it follows `&&` and `||`
/// the way evaluation does, so an operand that was never evaluated is never blamed.
struct ExpressionExplainer<Context: ExpressionContext> {
    let program: ExpressionProgram
    let symbols: ExpressionSymbols
    /// By attribute slot: whether the input declares the attribute (empty: not known).
    let declared: [Bool]
    var context: Context

    /// The first problem under node `index` (the root when nil), or nil when there is none.
    mutating func problem(_ index: Int? = nil) -> String? {
        let index = index ?? program.root
        let v = program.value(index, &context)
        switch program.nodes[index] {
        case .constant, .timeout, .currentInput, .triggerIsMessage:
            return nil
        case .variable(let slot):
            guard v.isUndefined else { return nil }
            return "$variable.\(name(variable: slot)) has no value: no action has set it"
        case .inputAttribute(let slot):
            guard v.isUndefined, slot < symbols.inputAttributes.count else { return nil }
            let reference = symbols.inputAttributes[slot]
            if slot < declared.count, !declared[slot] {
                return "\(reference.text) is Undefined: the input \(reference.inputName) does not declare it (inputProjection \"declared\")"
            }
            return "\(reference.text) is Undefined: the last message on \(reference.inputName) did not have it (or none has arrived)"
        case .unary(let op, let operand):
            if let p = problem(operand) { return p }
            return v.isUndefined ? "\(op.text) cannot take \(describe(program.value(operand, &context)))" : nil
        case .binary(let op, let lhs, let rhs):
            if let p = problem(lhs) ?? problem(rhs) { return p }
            guard v.isUndefined else { return nil }
            return mismatch(op, program.value(lhs, &context), program.value(rhs, &context))
        case .chain(let first, let range):
            return chainProblem(first, range, v)
        case .template(let range):
            for k in range {
                if case .node(let n) = program.parts[k], let p = problem(n) { return p }
            }
            return v.isUndefined ? "the template is longer than \(context.maxStringBytes) bytes (limit maxStringBytes)" : nil
        case .call(.isUndefined, _), .call(.isNull, _):
            return nil // they take Undefined and Null as answers, not as problems
        case .call(let function, let range):
            var kinds: [String] = []
            for k in range {
                let argument = program.arguments[k]
                if let p = problem(argument) { return p }
                kinds.append(describe(program.value(argument, &context)))
            }
            return v.isUndefined ? "\(function.name)() gives no value for \(kinds.joined(separator: " and "))" : nil
        case .convert(let target, let operand):
            if let p = problem(operand) { return p }
            return v.isUndefined ? "convert(\(target.word), …) cannot convert \(describe(program.value(operand, &context)))" : nil
        }
    }

    /// A chain, followed as evaluation follows it: `&&` stops at false, `||` at true.
    private mutating func chainProblem(_ first: Int, _ range: Range<Int>, _ v: ExpressionValue) -> String? {
        if let p = problem(first) { return p }
        var accumulated = program.value(first, &context)
        for k in range {
            let link = program.links[k]
            switch (link.op, accumulated) {
            case (.and, .boolean(false)), (.or, .boolean(true)): return nil
            case (.and, .boolean(true)), (.or, .boolean(false)), (.or, .undefined): break
            case (.and, _), (.or, _):
                return "\(link.op.text) needs Booleans, and its left side is \(describe(accumulated))"
            default: break
            }
            if let p = problem(link.operand) { return p }
            let operand = program.value(link.operand, &context)
            switch link.op {
            case .and, .or:
                if case .boolean = operand { accumulated = operand; continue }
                if link.op == .or, operand.isUndefined { accumulated = .boolean(false); continue }
                return "\(link.op.text) needs Booleans, and its right side is \(describe(operand))"
            default:
                let next = ExpressionOperators.apply(link.op, accumulated, operand)
                if next.isUndefined { return mismatch(link.op, accumulated, operand) }
                accumulated = next
            }
        }
        return v.isUndefined ? "the expression gave Undefined" : nil
    }

    private func mismatch(_ op: BinaryOperator, _ a: ExpressionValue, _ b: ExpressionValue) -> String {
        switch op {
        case .divide where b.isZero: return "\(describe(a)) / \(describe(b)): division by zero"
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            return "\(op.text) cannot compare \(describe(a)) with \(describe(b))"
        default:
            return "\(op.text) cannot take \(describe(a)) and \(describe(b))"
        }
    }

    private func name(variable slot: Int) -> String {
        slot < symbols.variableNames.count ? symbols.variableNames[slot] : "#\(slot)"
    }

    /// `a String ("20")`, `an Integer (10)`, `Undefined`.
    func describe(_ v: ExpressionValue) -> String {
        guard let literal = v.literalText else { return v.kindName }
        let shown = literal.utf8.count > 40 ? literal.prefix(scalars: 37) + "..." : literal
        return "\(v.kindName) (\(shown))"
    }
}

extension ExpressionValue {
    var isZero: Bool {
        switch self {
        case .integer(let n): return n == 0
        case .decimal(let d): return d == 0
        default: return false
        }
    }
}
