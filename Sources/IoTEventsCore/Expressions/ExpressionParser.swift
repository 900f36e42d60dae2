/// A recursive-descent parser straight over the UTF-8 bytes (no token list), so that `${…}` inside
/// a string can re-enter the expression grammar. Grammar and precedence: docs/behaviour.md §3.3. With
/// `checkTypes` it also applies the static checks of §3.9 using the types known from literals,
/// operators and function results.
package struct ExpressionParser {
    private let bytes: [UInt8]
    private var pos = 0
    private var depth = 0
    private let maxDepth: Int
    private let checkTypes: Bool

    /// Parses a whole expression. `maxDepth` bounds nesting (parentheses, unary operators, calls,
    /// templates) so that hostile input cannot exhaust the stack.
    package static func parse(_ text: String, maxDepth: Int = 64, checkTypes: Bool = true) throws(ExpressionError) -> ExpressionSyntax {
        var parser = ExpressionParser(bytes: Array(text.utf8), maxDepth: maxDepth, checkTypes: checkTypes)
        return try parser.parseWhole().syntax
    }

    private init(bytes: [UInt8], maxDepth: Int, checkTypes: Bool) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.checkTypes = checkTypes
    }

    struct Typed {
        var syntax: ExpressionSyntax
        var type: StaticType
    }

    // MARK: - Positions and errors

    private func column(_ at: Int) -> Int {
        var c = 1
        var i = 0
        while i < at && i < bytes.count {
            if bytes[i] & 0xC0 != 0x80 { c += 1 }
            i += 1
        }
        if at > bytes.count { c += at - bytes.count }
        return c
    }

    private func fail(_ at: Int, _ message: String) -> ExpressionError {
        ExpressionError(column: column(at), message: message)
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let i = pos + offset
        return i < bytes.count ? bytes[i] : nil
    }

    private mutating func skipSpace() {
        while let b = peek(), b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { pos += 1 }
    }

    /// The character at `at` for messages ("unexpected '='").
    private func describe(_ at: Int) -> String {
        guard at < bytes.count else { return "end of expression" }
        var end = at + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "'" + String(decoding: bytes[at ..< end], as: UTF8.self) + "'"
    }

    private mutating func enter(_ at: Int) throws(ExpressionError) {
        depth += 1
        if depth > maxDepth { throw fail(at, "expression nested more than \(maxDepth) levels deep (limit maxExpressionDepth)") }
    }

    // MARK: - Grammar

    private mutating func parseWhole() throws(ExpressionError) -> Typed {
        let result = try parseExpression()
        skipSpace()
        if pos < bytes.count {
            var message = "unexpected \(describe(pos)); expected an operator or the end of the expression"
            if bytes[pos] == UInt8(ascii: "=") { message = "unexpected '='; the equality operator is '=='" }
            if bytes[pos] == UInt8(ascii: "%") { message = "unexpected '%'; there is no modulo operator" }
            throw fail(pos, message)
        }
        return result
    }

    private mutating func parseExpression() throws(ExpressionError) -> Typed {
        try parseBinary(minimumPrecedence: BinaryOperator.lowestPrecedence)
    }

    /// Precedence climbing: operators binding at least `minimumPrecedence`. Operators of one level
    /// collect into one chain; the stack grows per precedence step, not per precedence level of the
    /// table, so deep nesting stays cheap.
    private mutating func parseBinary(minimumPrecedence: Int) throws(ExpressionError) -> Typed {
        var first = try parseUnary()
        var links: [ChainLink] = []
        var level = 0
        var type = first.type
        while true {
            skipSpace()
            guard let (op, length) = binaryOperator(), op.precedence >= minimumPrecedence else { break }
            if !links.isEmpty && op.precedence != level {
                // A looser operator: the chain so far becomes the first operand of a new chain.
                first = Typed(syntax: .chain(first.syntax, links), type: checkTypes ? type : .unknown)
                links = []
            }
            level = op.precedence
            let opPos = pos
            pos += length
            let operand = try parseBinary(minimumPrecedence: op.precedence + 1)
            if checkTypes { type = try chainType(op, type, operand.type, at: opPos) }
            links.append(ChainLink(op, operand.syntax))
        }
        if links.isEmpty { return first }
        return Typed(syntax: .chain(first.syntax, links), type: checkTypes ? type : .unknown)
    }

    /// The binary operator at `pos`, if any, and its length in bytes.
    private func binaryOperator() -> (BinaryOperator, Int)? {
        guard let c = peek() else { return nil }
        let n = peek(1)
        switch c {
        case UInt8(ascii: "|"): return n == UInt8(ascii: "|") ? (.or, 2) : (.bitOr, 1)
        case UInt8(ascii: "&"): return n == UInt8(ascii: "&") ? (.and, 2) : (.bitAnd, 1)
        case UInt8(ascii: "^"): return (.bitXor, 1)
        case UInt8(ascii: "="): return n == UInt8(ascii: "=") ? (.equal, 2) : nil
        case UInt8(ascii: "!"): return n == UInt8(ascii: "=") ? (.notEqual, 2) : nil
        case UInt8(ascii: "<"): return n == UInt8(ascii: "=") ? (.lessOrEqual, 2) : (.less, 1)
        case UInt8(ascii: ">"): return n == UInt8(ascii: "=") ? (.greaterOrEqual, 2) : (.greater, 1)
        case UInt8(ascii: "+"): return (.add, 1)
        case UInt8(ascii: "-"): return (.subtract, 1)
        case UInt8(ascii: "*"): return (.multiply, 1)
        case UInt8(ascii: "/"): return (.divide, 1)
        default: return nil
        }
    }

    private mutating func parseUnary() throws(ExpressionError) -> Typed {
        skipSpace()
        let op: UnaryOperator
        switch peek() {
        case UInt8(ascii: "-"): op = .negate
        case UInt8(ascii: "!"): op = .not
        case UInt8(ascii: "~"): op = .bitNot
        default: return try parsePrimary(typeWordAllowed: false)
        }
        let opPos = pos
        pos += 1
        try enter(opPos)
        let operand = try parseUnary()
        depth -= 1
        var type = StaticType.unknown
        if checkTypes { type = try unaryType(op, operand.type, at: opPos) }
        return Typed(syntax: .unary(op, operand.syntax), type: type)
    }

    private mutating func parsePrimary(typeWordAllowed: Bool) throws(ExpressionError) -> Typed {
        skipSpace()
        guard let c = peek() else { throw fail(pos, "expected an expression") }
        switch c {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"):
            return try parseNumber()
        case UInt8(ascii: "."):
            if let d = peek(1), isDigit(d) { return try parseNumber() }
        case UInt8(ascii: "'"):
            return try parseString(quote: c, interpolating: true)
        case UInt8(ascii: "\""):
            return try parseString(quote: c, interpolating: false)
        case UInt8(ascii: "$"):
            return try parseReference()
        case UInt8(ascii: "("):
            return try parseEnclosed(opener: "(", length: 1, closer: ")")
        default:
            if isLetter(c) { return try parseWord(typeWordAllowed: typeWordAllowed) }
        }
        throw fail(pos, "expected an expression, found \(describe(pos))")
    }

    /// `( expr )` or `${ expr }` at `pos`: one nesting level deeper, and the closer must follow.
    private mutating func parseEnclosed(opener: StaticString, length: Int, closer: Unicode.Scalar) throws(ExpressionError) -> Typed {
        let open = pos
        pos += length
        try enter(open)
        let inner = try parseExpression()
        skipSpace()
        guard peek() == UInt8(ascii: closer) else {
            throw fail(pos, "expected '\(closer)' to close the '\(opener)' at column \(column(open)), found \(describe(pos))")
        }
        pos += 1
        depth -= 1
        return inner
    }

    // MARK: - Literals

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    private func isLetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }
    private func isWordByte(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) || b == UInt8(ascii: "_") }

    /// Integer `42`; Decimal `4.5`, `.5`, `1.5e3`, `1e3` (§3.2 [A]). An integer literal beyond Int64
    /// is a Decimal, as for payload numbers (§1.2).
    private mutating func parseNumber() throws(ExpressionError) -> Typed {
        let start = pos
        var isDecimal = false
        while let b = peek(), isDigit(b) { pos += 1 }
        if peek() == UInt8(ascii: ".") {
            isDecimal = true
            pos += 1
            guard let b = peek(), isDigit(b) else { throw fail(start, "a decimal point must be followed by a digit") }
            while let b = peek(), isDigit(b) { pos += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            let ePos = pos
            var look = 1
            if let s = peek(1), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { look = 2 }
            guard let d = peek(look), isDigit(d) else { throw fail(start, "the exponent at column \(column(ePos)) has no digits") }
            isDecimal = true
            pos += look
            while let b = peek(), isDigit(b) { pos += 1 }
        }
        if let b = peek(), isWordByte(b) { throw fail(pos, "unexpected \(describe(pos)) after a number") }
        let digits = bytes[start ..< pos]
        if !isDecimal {
            var value: Int64 = 0
            var overflow = false
            for b in digits {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(b - UInt8(ascii: "0")))
                if o1 || o2 { overflow = true; break }
                value = s
            }
            if !overflow { return Typed(syntax: .integer(value), type: .integer) }
        }
        guard let d = ExpressionFunctions.finiteDouble(digits) else { throw fail(start, "number out of range") }
        return Typed(syntax: .decimal(d), type: .decimal)
    }

    /// A string literal. Escapes `\'`, `\"`, `\\`; any other backslash is kept as it is (§3.2 [A]).
    /// Single-quoted strings interpolate `${…}` (§3.7); double-quoted ones do not [A].
    private mutating func parseString(quote: UInt8, interpolating: Bool) throws(ExpressionError) -> Typed {
        let open = pos
        pos += 1
        var parts: [TemplatePart] = []
        var text: [UInt8] = []
        while true {
            guard let c = peek() else { throw fail(open, "unterminated string: no closing \(describe(open))") }
            if c == quote {
                pos += 1
                break
            }
            if c == UInt8(ascii: "\\"), let n = peek(1), n == UInt8(ascii: "'") || n == UInt8(ascii: "\"") || n == UInt8(ascii: "\\") {
                text.append(n)
                pos += 2
                continue
            }
            if interpolating && c == UInt8(ascii: "$") && peek(1) == UInt8(ascii: "{") {
                if !text.isEmpty {
                    parts.append(.text(String(decoding: text, as: UTF8.self)))
                    text.removeAll()
                }
                parts.append(.expression(try parseEnclosed(opener: "${", length: 2, closer: "}").syntax))
                continue
            }
            text.append(c)
            pos += 1
        }
        if parts.isEmpty { return Typed(syntax: .string(String(decoding: text, as: UTF8.self)), type: .string) }
        if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
        return Typed(syntax: .template(parts), type: .string)
    }

    // MARK: - Words: functions, Booleans, convert's type words

    private mutating func readWord() -> String {
        let start = pos
        while let b = peek(), isWordByte(b) { pos += 1 }
        return String(decoding: bytes[start ..< pos], as: UTF8.self)
    }

    private mutating func parseWord(typeWordAllowed: Bool) throws(ExpressionError) -> Typed {
        let start = pos
        let word = readWord()
        let afterWord = pos
        skipSpace()
        if peek() == UInt8(ascii: "(") {
            guard let function = ExpressionFunction(name: word) else {
                throw fail(start, "unknown function '\(word)'")
            }
            return try parseCall(function, at: start)
        }
        pos = afterWord
        if ExpressionFunctions.asciiCaseInsensitiveEqual(word, "true") { return Typed(syntax: .boolean(true), type: .boolean) }
        if ExpressionFunctions.asciiCaseInsensitiveEqual(word, "false") { return Typed(syntax: .boolean(false), type: .boolean) }
        if typeWordAllowed {
            guard let target = ConvertTarget(word: word) else {
                throw fail(start, "'\(word)' is not a convert target; expected String, Boolean or Decimal")
            }
            return Typed(syntax: .typeWord(target), type: .unknown)
        }
        throw fail(start, "unexpected word '\(word)': strings need quotes and references start with '$'")
    }

    private mutating func parseCall(_ function: ExpressionFunction, at start: Int) throws(ExpressionError) -> Typed {
        let open = pos
        pos += 1
        try enter(open)
        var arguments: [Typed] = []
        var argumentPositions: [Int] = []
        skipSpace()
        if peek() == UInt8(ascii: ")") {
            pos += 1
        } else {
            while true {
                skipSpace()
                argumentPositions.append(pos)
                if function == .convert && arguments.isEmpty {
                    arguments.append(try parseConvertTarget())
                } else {
                    arguments.append(try parseExpression())
                }
                skipSpace()
                if peek() == UInt8(ascii: ",") { pos += 1; continue }
                if peek() == UInt8(ascii: ")") { pos += 1; break }
                throw fail(pos, "expected ',' or ')' in the arguments of \(function.name), found \(describe(pos))")
            }
        }
        depth -= 1
        if arguments.count != function.arity {
            let s = function.arity == 1 ? "" : "s"
            throw fail(start, "\(function.name) takes \(function.arity) argument\(s), not \(arguments.count)")
        }
        var type = StaticType.unknown
        if checkTypes { type = try callType(function, arguments.map { $0.type }, argumentPositions) }
        return Typed(syntax: .call(function, arguments.map { $0.syntax }), type: type)
    }

    /// `convert`'s first argument: a bare type word, or an ordinary expression giving the word.
    private mutating func parseConvertTarget() throws(ExpressionError) -> Typed {
        skipSpace()
        if let c = peek(), isLetter(c) {
            let save = pos
            let word = readWord()
            skipSpace()
            let isCall = peek() == UInt8(ascii: "(")
            pos = save
            let isBoolean = ExpressionFunctions.asciiCaseInsensitiveEqual(word, "true")
                || ExpressionFunctions.asciiCaseInsensitiveEqual(word, "false")
            if !isCall && !isBoolean { return try parsePrimary(typeWordAllowed: true) }
        }
        return try parseExpression()
    }

    // MARK: - References

    private mutating func parseReference() throws(ExpressionError) -> Typed {
        let start = pos
        pos += 1
        let kind = readWord()
        switch kind {
        case "input":
            guard peek() == UInt8(ascii: "."), let c = peek(1), isLetter(c) else {
                throw fail(start, "expected '.' and an input name after '$input'")
            }
            pos += 1
            let input = readWord()
            guard peek() == UInt8(ascii: ".") else {
                throw fail(start, "expected '.' and an attribute after '$input.\(input)'")
            }
            let path = try parsePath()
            return Typed(syntax: .inputAttribute(input: input, path: path), type: .unknown)
        case "variable":
            guard peek() == UInt8(ascii: "."), let c = peek(1), isLetter(c) else {
                throw fail(start, "expected '.' and a variable name after '$variable'")
            }
            pos += 1
            let name = readWord()
            if let c = peek(), c == UInt8(ascii: ".") || c == UInt8(ascii: "[") {
                throw fail(pos, "a variable holds a single value; it has no members or indexes")
            }
            return Typed(syntax: .variable(name), type: .unknown)
        case "sitewise":
            guard peek() == UInt8(ascii: ".") else { throw fail(start, "expected '.' after '$sitewise'") }
            return Typed(syntax: .sitewise(try parsePath()), type: .unknown)
        default:
            throw fail(start, "unknown reference '$\(kind)'; expected $input, $variable or $sitewise")
        }
    }

    /// `.seg` (a word or a backtick-quoted segment) steps, each optionally followed by `[n]` steps.
    private mutating func parsePath() throws(ExpressionError) -> [PathStep] {
        var steps: [PathStep] = []
        while let c = peek() {
            if c == UInt8(ascii: ".") {
                pos += 1
                if peek() == UInt8(ascii: "`") {
                    let open = pos
                    pos += 1
                    let start = pos
                    while let b = peek(), b != UInt8(ascii: "`") { pos += 1 }
                    guard peek() == UInt8(ascii: "`") else { throw fail(open, "unterminated '`' segment") }
                    if pos == start { throw fail(open, "empty '``' segment") }
                    steps.append(.member(String(decoding: bytes[start ..< pos], as: UTF8.self)))
                    pos += 1
                } else if let b = peek(), isLetter(b) {
                    steps.append(.member(readWord()))
                } else {
                    throw fail(pos, "expected an attribute name after '.' (names not of the form [a-zA-Z][a-zA-Z0-9_]* need backticks)")
                }
            } else if c == UInt8(ascii: "[") {
                let open = pos
                pos += 1
                let start = pos
                var index = 0
                while let b = peek(), isDigit(b) {
                    index = index * 10 + Int(b - UInt8(ascii: "0"))
                    if index > 1_000_000_000 { throw fail(start, "index too large") }
                    pos += 1
                }
                guard pos > start, peek() == UInt8(ascii: "]") else {
                    throw fail(pos, "expected a non-negative integer and ']' after the '[' at column \(column(open))")
                }
                pos += 1
                steps.append(.index(index))
            } else {
                break
            }
        }
        return steps
    }

    // MARK: - Static types (§3.9)

    private func chainType(_ op: BinaryOperator, _ a: StaticType, _ b: StaticType, at: Int) throws(ExpressionError) -> StaticType {
        func incompatible() -> ExpressionError {
            fail(at, "operator '\(op.text)' cannot be applied to \(a.name) and \(b.name)")
        }
        switch op {
        case .or, .and:
            if (a != .unknown && a != .boolean) || (b != .unknown && b != .boolean) { throw incompatible() }
            return .boolean
        case .bitOr, .bitXor, .bitAnd:
            let ok: (StaticType) -> Bool = { $0 == .unknown || $0 == .integer || $0 == .number }
            if !ok(a) || !ok(b) { throw incompatible() }
            return .integer
        case .equal, .notEqual:
            if let x = a.category, let y = b.category, x != y { throw incompatible() }
            return .boolean
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            if a == .boolean || b == .boolean { throw incompatible() }
            if let x = a.category, let y = b.category, x != y { throw incompatible() }
            return .boolean
        case .add:
            if a == .boolean || b == .boolean { throw incompatible() }
            if (a == .string && b.isNumeric) || (a.isNumeric && b == .string) { throw incompatible() }
            if a == .string || b == .string { return .string }
            return arithmeticType(a, b)
        case .subtract, .multiply, .divide:
            if a == .boolean || b == .boolean || a == .string || b == .string { throw incompatible() }
            return arithmeticType(a, b)
        }
    }

    private func arithmeticType(_ a: StaticType, _ b: StaticType) -> StaticType {
        if a == .integer && b == .integer { return .integer }
        if a == .decimal || b == .decimal { return .decimal }
        if a == .unknown && b == .unknown { return .unknown }
        return .number
    }

    private func unaryType(_ op: UnaryOperator, _ t: StaticType, at: Int) throws(ExpressionError) -> StaticType {
        let result: StaticType?
        switch op {
        case .negate: result = t == .unknown ? .number : (t.isNumeric ? t : nil)
        case .not: result = t == .unknown || t == .boolean ? .boolean : nil
        case .bitNot: result = t == .unknown || t == .integer || t == .number ? .integer : nil
        }
        guard let r = result else { throw fail(at, "operator '\(op.text)' cannot be applied to \(t.name)") }
        return r
    }

    private func callType(_ f: ExpressionFunction, _ types: [StaticType], _ positions: [Int]) throws(ExpressionError) -> StaticType {
        func require(_ i: Int, _ accepted: (StaticType) -> Bool, _ what: String) throws(ExpressionError) {
            if types[i] != .unknown && !accepted(types[i]) {
                throw fail(positions[i], "argument \(i + 1) of \(f.name) must be \(what), not \(types[i].name)")
            }
        }
        let isString: (StaticType) -> Bool = { $0 == .string }
        let isInteger: (StaticType) -> Bool = { $0 == .integer || $0 == .number }
        switch f {
        case .timeout, .triggerType, .currentInput:
            try require(0, isString, "a String")
            return .boolean
        case .isNull, .isUndefined:
            return .boolean
        case .startsWith, .endsWith, .contains:
            try require(0, isString, "a String")
            try require(1, isString, "a String")
            return .boolean
        case .bitor, .bitand, .bitxor:
            try require(0, isInteger, "an Integer")
            try require(1, isInteger, "an Integer")
            return .integer
        case .bitnot:
            try require(0, isInteger, "an Integer")
            return .integer
        case .convert:
            try require(0, isString, "String, Boolean, Decimal or a String naming one of them")
            return .unknown
        }
    }
}
