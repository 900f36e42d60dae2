/// The names a model's expressions refer to, each given a dense number while the model's
/// expressions are compiled, so that evaluation indexes arrays instead of looking up strings
/// (one table per model version; every expression of the model shares it).
package struct ExpressionSymbols: Sendable {
    /// `$variable.<name>` slots.
    package private(set) var variableNames: [String] = []
    /// `$input.<input>.<path>` (and `$sitewise.<path>`) slots.
    package private(set) var inputAttributes: [InputAttributeReference] = []
    /// Input ids: every input named by an attribute reference or a literal `currentInput("X")`.
    package private(set) var inputNames: [String] = []
    /// Timer ids: every timer named by a literal `timeout("t")`, plus those `intern(timer:)` added.
    package private(set) var timerNames: [String] = []
    /// How many times an expression has named a real input (not `$sitewise`), repeats included:
    /// a compiler compares it before and after one expression to learn whether that one reads an input.
    package private(set) var inputReferenceCount = 0

    private var variableSlots: [String: Int] = [:]
    /// Each attribute reference's slot, by `attributeKey`.
    private var attributeSlots: [String: Int] = [:]
    private var inputIds: [String: Int] = [:]
    private var timerIds: [String: Int] = [:]

    /// The pseudo-input `$sitewise` references are read from; no real input can have this name.
    package static let sitewiseInput = "$sitewise"

    package init() {}

    package mutating func intern(variable name: String) -> Int {
        if let slot = variableSlots[name] { return slot }
        variableNames.append(name)
        variableSlots[name] = variableNames.count - 1
        return variableNames.count - 1
    }

    package mutating func intern(input name: String) -> Int {
        if name != ExpressionSymbols.sitewiseInput { inputReferenceCount += 1 }
        if let id = inputIds[name] { return id }
        inputNames.append(name)
        inputIds[name] = inputNames.count - 1
        return inputNames.count - 1
    }

    package mutating func intern(timer name: String) -> Int {
        if let id = timerIds[name] { return id }
        timerNames.append(name)
        timerIds[name] = timerNames.count - 1
        return timerNames.count - 1
    }

    package mutating func intern(input: String, path: [PathStep]) -> Int {
        let reference = InputAttributeReference(input: intern(input: input), inputName: input, path: path)
        let key = ExpressionSymbols.attributeKey(input: reference.input, path: path)
        if let slot = attributeSlots[key] { return slot }
        inputAttributes.append(reference)
        attributeSlots[key] = inputAttributes.count - 1
        return inputAttributes.count - 1
    }

    /// A text that names one attribute reference and no other: the input's id, then each step,
    /// a member as its UTF-8 length and its name, an index as `[n]`. Keyed by this text, the
    /// slots share the `[String: Int]` code the other tables use: a dictionary keyed by the
    /// reference itself was 2 KB of hash-table code of its own in Embedded Swift.
    private static func attributeKey(input: Int, path: [PathStep]) -> String {
        var key = "\(input)"
        for step in path {
            switch step {
            case .member(let name): key += ".\(name.utf8.count):\(name)"
            case .index(let i): key += "[\(i)]"
            }
        }
        return key
    }

    package func variableSlot(_ name: String) -> Int? { variableSlots[name] }
    package func inputId(_ name: String) -> Int? { inputIds[name] }
    package func timerId(_ name: String) -> Int? { timerIds[name] }
}

/// One distinct input attribute some expression reads.
package struct InputAttributeReference: Hashable, Sendable {
    /// The input's id in `ExpressionSymbols.inputNames`.
    package var input: Int
    package var inputName: String
    package var path: [PathStep]
}

/// What an evaluation may ask of the detector (or alarm) it runs for. The runtime implements it
/// over its own storage; evaluation is generic over it, so it is specialised, not dynamic.
package protocol ExpressionContext {
    /// The variable in `slot` (`ExpressionSymbols.variableNames`); Undefined if never set.
    func variable(at slot: Int) -> ExpressionValue
    /// The retained value of the attribute in `slot`; Undefined before the first message on its input.
    func inputAttribute(at slot: Int) -> ExpressionValue
    /// The evaluation was caused by a message (`triggerType("Message")`).
    var isMessageTrigger: Bool { get }
    /// The evaluation was caused by a timer expiry (`triggerType("Timer")`).
    var isTimerTrigger: Bool { get }
    /// The triggering message arrived on the input with this id (`currentInput("X")`).
    func isCurrentInput(_ input: Int) -> Bool
    /// The same for a name computed at run time.
    func isCurrentInput(named name: String) -> Bool
    /// `timeout(t)`: true once per expiry, consuming the mark (§4.3 rule 3).
    mutating func consumeTimeout(_ timer: Int) -> Bool
    /// The same for a name computed at run time.
    mutating func consumeTimeout(named name: String) -> Bool
    /// The longest String, in UTF-8 bytes, that `+` or a template may build: a longer result is
    /// Undefined, so a model that doubles a String each message cannot exhaust memory.
    var maxStringBytes: Int { get }
}

extension ExpressionContext {
    package var maxStringBytes: Int { Int.max }
}

extension InputAttributeReference {
    /// The reference as expression text: `$input.Temp.readings[1]`.
    package var text: String {
        var out = inputName == ExpressionSymbols.sitewiseInput ? "$sitewise" : "$input." + inputName
        ExpressionSyntax.appendPath(path, to: &out)
        return out
    }

    /// Whether the input's declared attributes make this reference visible (§1.2): some declared
    /// path must be a leading run of the reference's member steps (`readings[1]` is under
    /// `readings`; `meta` is not under `meta.site`).
    package func isDeclared(by attributes: [AttributePath]) -> Bool {
        for attribute in attributes where attribute.segments.count <= path.count {
            var matches = true
            for (i, segment) in attribute.segments.enumerated() {
                guard case .member(let name) = path[i], name.utf8.elementsEqual(segment.utf8) else {
                    matches = false
                    break
                }
            }
            if matches { return true }
        }
        return false
    }
}
