/// Where, in a request's JSON text, the values of `<array>[i].<member>` are: the bytes the caller
/// actually sent for them, which jansson's tree no longer knows.
///
/// A `payload` given as a JSON object (the C and Lua convenience) is limited by
/// `maxPayloadBytes` like a base64 one, and "the bytes sent" is the only honest size: printing the
/// object again would count `0.1` as `0.10000000000000001` (a 719-byte payload measured 1 100
/// bytes) and would cost a print per message.
///
/// The text has already been parsed by jansson, so it is valid JSON; the scan only has to find
/// value boundaries. It never recurses (nesting is skipped by counting), and a key written with
/// escapes (`"p\u0061yload"`) is not recognised: its value then has no span, and the caller
/// falls back to measuring the parsed value.
enum JSONMemberSpans {
    /// For each element of the top-level object's `array` member, the byte range of its `member`
    /// value (nil for an element without one). Empty when the text has no such array.
    static func of(_ text: UnsafeBufferPointer<UInt8>, array: StaticString, member: StaticString) -> [Range<Int>?] {
        var scanner = Scanner(text)
        var spans: [Range<Int>?] = []
        guard scanner.enter(UInt8(ascii: "{")) else { return spans }
        while let key = scanner.nextKey() {
            guard scanner.matches(key, array), scanner.enter(UInt8(ascii: "[")) else {
                scanner.skipValue()
                continue
            }
            while scanner.nextElement() {
                var span: Range<Int>?
                if scanner.enter(UInt8(ascii: "{")) {
                    while let inner = scanner.nextKey() {
                        let start = scanner.position
                        scanner.skipValue()
                        if scanner.matches(inner, member) { span = start..<scanner.position }
                    }
                } else {
                    scanner.skipValue()
                }
                spans.append(span)
            }
            return spans
        }
        return spans
    }

    /// A cursor over valid JSON text.
    private struct Scanner {
        let text: UnsafeBufferPointer<UInt8>
        var position = 0
        /// Inside the container just entered, before its first member or element.
        private var first = true

        init(_ text: UnsafeBufferPointer<UInt8>) { self.text = text }

        private var current: UInt8? { position < text.count ? text[position] : nil }

        private mutating func skipSpace() {
            while let b = current, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { position += 1 }
        }

        /// Enters the value here if it opens with `bracket`.
        mutating func enter(_ bracket: UInt8) -> Bool {
            skipSpace()
            guard current == bracket else { return false }
            position += 1
            first = true
            return true
        }

        /// Moves to the next member of the object entered last and returns the byte range of its
        /// key's text (without quotes), leaving the cursor at its value; nil at the object's end.
        mutating func nextKey() -> Range<Int>? {
            guard nextEntry() else { return nil }
            skipSpace()
            let start = position + 1
            skipString()
            let key = start..<(position - 1)
            skipSpace()
            position += 1 // :
            skipSpace()
            return key
        }

        /// Moves to the next element of the array entered last; false at the array's end.
        mutating func nextElement() -> Bool {
            guard nextEntry() else { return false }
            skipSpace()
            return true
        }

        /// Past a separating comma, or past the closing bracket (returning false).
        private mutating func nextEntry() -> Bool {
            skipSpace()
            guard let b = current else { return false }
            if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                position += 1
                first = false
                return false
            }
            if !first, b == UInt8(ascii: ",") { position += 1 }
            first = false
            return true
        }

        func matches(_ key: Range<Int>, _ name: StaticString) -> Bool {
            guard key.count == name.utf8CodeUnitCount, key.upperBound <= text.count else { return false }
            return name.withUTF8Buffer { expected in
                var i = 0
                while i < expected.count {
                    if text[key.lowerBound + i] != expected[i] { return false }
                    i += 1
                }
                return true
            }
        }

        /// From an opening quote to just past the closing one.
        private mutating func skipString() {
            position += 1
            while let b = current {
                position += 1
                if b == UInt8(ascii: "\\") { position += 1 } else if b == UInt8(ascii: "\"") { return }
            }
        }

        /// Past one whole value: a string, a container (its nesting counted, never recursed
        /// into), or a scalar (up to the next delimiter).
        mutating func skipValue() {
            skipSpace()
            guard let b = current else { return }
            switch b {
            case UInt8(ascii: "\""):
                skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while let c = current {
                    switch c {
                    case UInt8(ascii: "\""):
                        skipString()
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            position += 1
                            return
                        }
                    default: break
                    }
                    position += 1
                }
            default:
                while let c = current, c != UInt8(ascii: ","), c != UInt8(ascii: "}"), c != UInt8(ascii: "]"),
                      c != 0x20, c != 0x0A, c != 0x0D, c != 0x09 {
                    position += 1
                }
            }
        }
    }
}
