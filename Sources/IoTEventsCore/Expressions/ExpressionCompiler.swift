/// Turns text into a `CompiledExpression`: parse (with the static checks of §3.9), resolve
/// references to slots of the model's symbol table, fold constant sub-trees.
package enum ExpressionCompiler {
    package static func compile(_ text: String, symbols: inout ExpressionSymbols, maxDepth: Int = 64) throws(ExpressionError) -> CompiledExpression {
        let syntax = try ExpressionParser.parse(text, maxDepth: maxDepth)
        return compile(syntax, symbols: &symbols)
    }

    /// Compiles a tree that has already been parsed (and checked).
    package static func compile(_ syntax: ExpressionSyntax, symbols: inout ExpressionSymbols) -> CompiledExpression {
        var program = ExpressionProgram(syntax: syntax)
        program.root = emit(syntax, into: &program, symbols: &symbols)
        return CompiledExpression(program)
    }

    private static func constant(_ value: ExpressionValue, to program: inout ExpressionProgram) -> Int {
        program.constants.append(value)
        return append(.constant(program.constants.count - 1), to: &program)
    }

    private static func append(_ node: ExpressionProgram.Node, to program: inout ExpressionProgram) -> Int {
        program.nodes.append(node)
        return program.nodes.count - 1
    }

    private static func isConstant(_ index: Int, in program: ExpressionProgram) -> Bool {
        if case .constant = program.nodes[index] { return true }
        return false
    }

    /// Appends `node`; if it is pure and every operand is constant, replaces it by its value.
    private static func appendFolding(_ node: ExpressionProgram.Node, operands: [Int], into program: inout ExpressionProgram) -> Int {
        let index = append(node, to: &program)
        for operand in operands where !isConstant(operand, in: program) { return index }
        var empty = RecordedExpressionContext()
        let folded = program.value(index, &empty)
        program.constants.append(folded)
        program.nodes[index] = .constant(program.constants.count - 1)
        return index
    }

    private static func emit(_ syntax: ExpressionSyntax, into p: inout ExpressionProgram, symbols: inout ExpressionSymbols) -> Int {
        switch syntax {
        case .integer(let i): return constant(.integer(i), to: &p)
        case .decimal(let d): return constant(.decimal(d), to: &p)
        case .boolean(let b): return constant(.boolean(b), to: &p)
        case .string(let s): return constant(.string(s), to: &p)
        case .typeWord(let target): return constant(.string(target.word), to: &p)
        case .variable(let name): return append(.variable(symbols.intern(variable: name)), to: &p)
        case .inputAttribute(let input, let path):
            return append(.inputAttribute(symbols.intern(input: input, path: path)), to: &p)
        case .sitewise(let path):
            return append(.inputAttribute(symbols.intern(input: ExpressionSymbols.sitewiseInput, path: path)), to: &p)
        case .unary(let op, let operand):
            let o = emit(operand, into: &p, symbols: &symbols)
            return appendFolding(.unary(op, o), operands: [o], into: &p)
        case .chain(let first, let chainLinks):
            let f = emit(first, into: &p, symbols: &symbols)
            var operands = [f]
            var compiledLinks: [ExpressionProgram.Link] = []
            for link in chainLinks {
                let o = emit(link.operand, into: &p, symbols: &symbols)
                operands.append(o)
                compiledLinks.append(.init(op: link.op, operand: o))
            }
            if compiledLinks.count == 1 && compiledLinks[0].op != .and && compiledLinks[0].op != .or {
                return appendFolding(.binary(compiledLinks[0].op, f, compiledLinks[0].operand), operands: operands, into: &p)
            }
            let start = p.links.count
            p.links.append(contentsOf: compiledLinks)
            return appendFolding(.chain(f, start ..< p.links.count), operands: operands, into: &p)
        case .template(let templateParts):
            var compiledParts: [ExpressionProgram.Part] = []
            var operands: [Int] = []
            for part in templateParts {
                switch part {
                case .text(let s):
                    p.constants.append(.string(s))
                    compiledParts.append(.text(p.constants.count - 1))
                case .expression(let e):
                    let o = emit(e, into: &p, symbols: &symbols)
                    operands.append(o)
                    compiledParts.append(.node(o))
                }
            }
            let start = p.parts.count
            p.parts.append(contentsOf: compiledParts)
            return appendFolding(.template(start ..< p.parts.count), operands: operands, into: &p)
        case .call(let function, let args):
            return emitCall(function, args, into: &p, symbols: &symbols)
        }
    }

    private static func emitCall(_ function: ExpressionFunction, _ args: [ExpressionSyntax], into p: inout ExpressionProgram, symbols: inout ExpressionSymbols) -> Int {
        // Literal names resolve at compile time; computed ones are looked up when evaluated.
        switch (function, args.first) {
        case (.timeout, .string(let name)?):
            return append(.timeout(symbols.intern(timer: name)), to: &p)
        case (.currentInput, .string(let name)?):
            return append(.currentInput(symbols.intern(input: name)), to: &p)
        case (.triggerType, .string(let name)?):
            guard let message = ExpressionFunctions.triggerKind(name) else {
                return constant(.boolean(false), to: &p)
            }
            return append(.triggerIsMessage(message), to: &p)
        case (.convert, .typeWord(let target)?):
            let o = emit(args[1], into: &p, symbols: &symbols)
            return appendFolding(.convert(target, o), operands: [o], into: &p)
        default:
            break
        }
        var operands: [Int] = []
        for argument in args { operands.append(emit(argument, into: &p, symbols: &symbols)) }
        let start = p.arguments.count
        p.arguments.append(contentsOf: operands)
        let node = ExpressionProgram.Node.call(function, start ..< p.arguments.count)
        switch function {
        case .timeout, .currentInput, .triggerType:
            return append(node, to: &p)
        default:
            return appendFolding(node, operands: operands, into: &p)
        }
    }
}
