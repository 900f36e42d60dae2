// Writes a syntax tree back as expression text that parses to the same tree: Strings in double
// quotes, templates in single quotes, the fewest parentheses the precedence table needs.
extension ExpressionSyntax {
    package var text: String {
        var out = ""
        print(into: &out)
        return out
    }

    func print(into out: inout String) {
        switch self {
        case .integer(let i): out += i.description
        case .decimal(let d): out += DecimalText.java(d)
        case .boolean(let b): out += b ? "true" : "false"
        case .string(let s):
            out += "\""
            ExpressionSyntax.appendEscaped(s, quote: "\"", to: &out)
            out += "\""
        case .template(let parts):
            out += "'"
            for part in parts {
                switch part {
                case .text(let s): ExpressionSyntax.appendEscaped(s, quote: "'", to: &out)
                case .expression(let e):
                    out += "${"
                    e.print(into: &out)
                    out += "}"
                }
            }
            out += "'"
        case .inputAttribute(let input, let path):
            out += "$input." + input
            ExpressionSyntax.appendPath(path, to: &out)
        case .variable(let name): out += "$variable." + name
        case .sitewise(let path):
            out += "$sitewise"
            ExpressionSyntax.appendPath(path, to: &out)
        case .typeWord(let target): out += target.word
        case .call(let function, let arguments):
            out += function.name + "("
            for (i, argument) in arguments.enumerated() {
                if i > 0 { out += ", " }
                argument.print(into: &out)
            }
            out += ")"
        case .unary(let op, let operand):
            out += op.text
            operand.printOperand(into: &out, parenthesizeAtOrBelow: BinaryOperator.highestPrecedence)
        case .chain(let first, let links):
            let level = links[0].op.precedence
            first.printOperand(into: &out, parenthesizeAtOrBelow: level)
            for link in links {
                out += " " + link.op.text + " "
                link.operand.printOperand(into: &out, parenthesizeAtOrBelow: level)
            }
        }
    }

    /// Operands that are chains binding no tighter than `level` need parentheses: a chain of the
    /// same level would otherwise merge into (or re-associate with) the enclosing one.
    private func printOperand(into out: inout String, parenthesizeAtOrBelow level: Int) {
        if case .chain(_, let links) = self, links[0].op.precedence <= level {
            out += "("
            print(into: &out)
            out += ")"
        } else {
            print(into: &out)
        }
    }

    private static func appendEscaped(_ s: String, quote: Unicode.Scalar, to out: inout String) {
        for scalar in s.unicodeScalars {
            if scalar == quote || scalar == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(scalar)
        }
    }

    static func appendPath(_ path: [PathStep], to out: inout String) {
        for step in path {
            switch step {
            case .member(let name):
                out += "."
                if isPlainSegment(name) { out += name } else { out += "`" + name + "`" }
            case .index(let i): out += "[" + i.description + "]"
            }
        }
    }

    /// `[a-zA-Z][a-zA-Z0-9_]*`: a segment that needs no backticks (§1.3).
    static func isPlainSegment(_ name: String) -> Bool {
        var first = true
        for b in name.utf8 {
            let letter = (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A)
            let digit = b >= 0x30 && b <= 0x39
            if first ? !letter : !(letter || digit || b == 0x5F) { return false }
            first = false
        }
        return !first
    }
}
