/// An expression ready to run: its tree flattened into arrays of nodes that refer to each other by
/// index, references resolved to the slots of an `ExpressionSymbols` table, constant sub-trees
/// already folded. Evaluation recurses only through nesting (bounded by the parser's depth limit);
/// operator chains run in a loop. Evaluating numbers and Booleans allocates nothing.
package final class CompiledExpression: Sendable {
    /// The flattened tree. Held by an immutable class so that copying an expression (events and
    /// transitions are read out of their arrays on every evaluation) retains one reference
    /// instead of one per array of the program.
    let program: ExpressionProgram

    init(_ program: ExpressionProgram) {
        self.program = program
    }

    /// The tree this was compiled from, for printing and diagnostics.
    package var syntax: ExpressionSyntax { program.syntax }

    /// The constant value, when the whole expression folded to one (a literal-only expression).
    package var constantValue: ExpressionValue? { program.constantValue }

    package func evaluate<Context: ExpressionContext>(_ context: inout Context) -> ExpressionValue {
        program.value(program.root, &context)
    }

    /// Evaluates against the empty context (no variables, inputs, trigger or timers).
    package func evaluate() -> ExpressionValue {
        var context = RecordedExpressionContext()
        return program.value(program.root, &context)
    }
}

/// What `ExpressionCompiler` builds: the nodes of one expression and the tables they index.
package struct ExpressionProgram: Sendable {
    enum Node: Sendable {
        /// `constants[i]`. Nodes hold no reference-counted payloads, so reading one is a plain copy.
        case constant(Int)
        case variable(Int)
        case inputAttribute(Int)
        case unary(UnaryOperator, Int)
        /// A chain's first operand and its links (`links[range]`).
        case chain(Int, Range<Int>)
        /// The common one-operator chain of a non-logical operator, without the link table.
        case binary(BinaryOperator, Int, Int)
        /// `parts[range]`.
        case template(Range<Int>)
        /// A call whose arguments (`arguments[range]`) are evaluated at run time.
        case call(ExpressionFunction, Range<Int>)
        /// `convert(<word>, x)`.
        case convert(ConvertTarget, Int)
        /// `timeout("t")` with the name resolved to a timer id.
        case timeout(Int)
        /// `currentInput("X")` with the name resolved to an input id.
        case currentInput(Int)
        /// `triggerType("Message")` (true) / `("Timer")` (false).
        case triggerIsMessage(Bool)
    }

    struct Link: Sendable {
        var op: BinaryOperator
        var operand: Int
        init(op: BinaryOperator, operand: Int) {
            self.op = op
            self.operand = operand
        }
    }

    enum Part: Sendable {
        /// `constants[i]`, a String.
        case text(Int)
        case node(Int)
    }

    var nodes: [Node] = []
    var constants: [ExpressionValue] = []
    var links: [Link] = []
    var parts: [Part] = []
    var arguments: [Int] = []
    var root = 0

    /// The tree this was compiled from, for printing and diagnostics.
    package let syntax: ExpressionSyntax

    init(syntax: ExpressionSyntax) {
        self.syntax = syntax
    }

    /// The constant value, when the whole expression folded to one (a literal-only expression).
    package var constantValue: ExpressionValue? {
        if case .constant(let k) = nodes[root] { return constants[k] }
        return nil
    }

    func value<Context: ExpressionContext>(_ index: Int, _ c: inout Context) -> ExpressionValue {
        switch nodes[index] {
        case .constant(let k): return constants[k]
        case .variable(let slot): return c.variable(at: slot)
        case .inputAttribute(let slot): return c.inputAttribute(at: slot)
        case .unary(let op, let operand):
            let v = value(operand, &c)
            switch op {
            case .negate: return ExpressionOperators.negate(v)
            case .not: return ExpressionOperators.not(v)
            case .bitNot: return ExpressionOperators.bitNot(v)
            }
        case .binary(let op, let lhs, let rhs):
            let a = value(lhs, &c)
            let result = ExpressionOperators.apply(op, a, value(rhs, &c))
            return op == .add ? ExpressionProgram.bounded(result, c.maxStringBytes) : result
        case .chain(let first, let range):
            return chain(first, range, &c)
        case .template(let range):
            var text = ""
            for k in range {
                switch parts[k] {
                case .text(let k):
                    if case .string(let s) = constants[k] { text += s }
                case .node(let n):
                    guard let s = value(n, &c).templateText else { return .undefined }
                    text += s
                }
                if text.utf8.count > c.maxStringBytes { return .undefined }
            }
            return .string(text)
        case .call(let function, let range):
            return call(function, range, &c)
        case .convert(let target, let operand):
            return ExpressionFunctions.convert(value(operand, &c), to: target)
        case .timeout(let timer): return .boolean(c.consumeTimeout(timer))
        case .currentInput(let input): return .boolean(c.isCurrentInput(input))
        case .triggerIsMessage(let message):
            return .boolean(message ? c.isMessageTrigger : c.isTimerTrigger)
        }
    }

    func chain<Context: ExpressionContext>(_ first: Int, _ range: Range<Int>, _ c: inout Context) -> ExpressionValue {
        var accumulated = value(first, &c)
        for k in range {
            let link = links[k]
            switch link.op {
            case .and:
                // Short-circuit left to right; an operand that is not a Boolean (Undefined included)
                // makes the whole `&&` Undefined [A], and what follows it is not evaluated.
                guard case .boolean(let b) = accumulated else { return .undefined }
                if !b { return accumulated }
                accumulated = value(link.operand, &c)
                if case .boolean = accumulated { continue }
                return .undefined
            case .or:
                // Undefined counts as false (§3.5 [D]); any other non-Boolean is Undefined.
                switch accumulated {
                case .boolean(true): return accumulated
                case .boolean(false), .undefined: break
                default: return .undefined
                }
                switch value(link.operand, &c) {
                case .boolean(true): accumulated = .boolean(true)
                case .boolean(false), .undefined: accumulated = .boolean(false)
                default: return .undefined
                }
            default:
                accumulated = ExpressionOperators.apply(link.op, accumulated, value(link.operand, &c))
                if link.op == .add { accumulated = ExpressionProgram.bounded(accumulated, c.maxStringBytes) }
            }
        }
        return accumulated
    }

    /// A String longer than `limit` UTF-8 bytes becomes Undefined; every other value is kept.
    static func bounded(_ value: ExpressionValue, _ limit: Int) -> ExpressionValue {
        if case .string(let s) = value, s.utf8.count > limit { return .undefined }
        return value
    }

    func call<Context: ExpressionContext>(_ function: ExpressionFunction, _ range: Range<Int>, _ c: inout Context) -> ExpressionValue {
        let a = value(arguments[range.lowerBound], &c)
        switch function {
        case .isNull:
            if case .null = a { return .boolean(true) }
            return .boolean(false)
        case .isUndefined: return .boolean(a.isUndefined)
        case .timeout:
            guard case .string(let name) = a else { return .undefined }
            return .boolean(c.consumeTimeout(named: name))
        case .currentInput:
            guard case .string(let name) = a else { return .undefined }
            return .boolean(c.isCurrentInput(named: name))
        case .triggerType:
            guard case .string(let name) = a else { return .undefined }
            switch ExpressionFunctions.triggerKind(name) {
            case .some(true): return .boolean(c.isMessageTrigger)
            case .some(false): return .boolean(c.isTimerTrigger)
            case .none: return .boolean(false)
            }
        case .bitnot: return ExpressionOperators.bitNot(a)
        case .convert:
            guard case .string(let word) = a, let target = ConvertTarget(word: word) else { return .undefined }
            return ExpressionFunctions.convert(value(arguments[range.lowerBound + 1], &c), to: target)
        case .startsWith, .endsWith, .contains, .bitor, .bitand, .bitxor:
            let b = value(arguments[range.lowerBound + 1], &c)
            return ExpressionFunctions.binary(function, a, b)
        }
    }
}

extension ExpressionOperators {
    /// The non-logical binary operators.
    static func apply(_ op: BinaryOperator, _ a: ExpressionValue, _ b: ExpressionValue) -> ExpressionValue {
        switch op {
        case .add: return add(a, b)
        case .subtract: return subtract(a, b)
        case .multiply: return multiply(a, b)
        case .divide: return divide(a, b)
        case .bitOr: return bitOr(a, b)
        case .bitAnd: return bitAnd(a, b)
        case .bitXor: return bitXor(a, b)
        case .equal: return equal(a, b, negated: false)
        case .notEqual: return equal(a, b, negated: true)
        case .less: return relate(a, b, .less)
        case .lessOrEqual: return relate(a, b, .lessOrEqual)
        case .greater: return relate(a, b, .greater)
        case .greaterOrEqual: return relate(a, b, .greaterOrEqual)
        case .and, .or: return .undefined // evaluated by the short-circuiting chain loop
        }
    }
}
