/// What one parsed expression reads: input attributes, variables, timers (`timeout("t")`) and
/// inputs named by `currentInput("I")`. Function arguments that are not string literals name
/// nothing the analysis can check, so they are skipped.
struct ExpressionReferences {
    var inputAttributes: [(input: String, path: [PathStep])] = []
    var variables: [String] = []
    var timers: [String] = []
    var currentInputs: [String] = []

    init(_ syntax: ExpressionSyntax) {
        // An explicit stack, not recursion: chains and templates nest as deep as the parser
        // allowed, and this must not be the first thing to overflow.
        var stack: [ExpressionSyntax] = [syntax]
        while let node = stack.popLast() {
            switch node {
            case .integer, .decimal, .boolean, .string, .typeWord, .sitewise: break
            case .template(let parts):
                for part in parts.reversed() {
                    if case .expression(let e) = part { stack.append(e) }
                }
            case .inputAttribute(let input, let path): inputAttributes.append((input, path))
            case .variable(let name): variables.append(name)
            case .call(let function, let arguments):
                if function == .timeout, case .string(let name)? = arguments.first { timers.append(name) }
                if function == .currentInput, case .string(let name)? = arguments.first { currentInputs.append(name) }
                for argument in arguments.reversed() { stack.append(argument) }
            case .unary(_, let operand): stack.append(operand)
            case .chain(let first, let links):
                for link in links.reversed() { stack.append(link.operand) }
                stack.append(first)
            }
        }
    }
}
