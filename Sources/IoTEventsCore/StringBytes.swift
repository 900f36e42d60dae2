extension String {
    /// The string's UTF-8 bytes, valid only inside `body`: read in place when the string holds
    /// them contiguously (native and small strings, all there are here), from one copy otherwise.
    /// `withUTF8` needs a `var`, and on a copy of a `let` that is a retain and a release per
    /// call: attribute lookups and JSON strings are read this way on every message. Inlinable:
    /// as a call into this module, unspecialised, it cost ~1 500 instructions a message.
    @inlinable
    package func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        return withUTF8OfCopy(body)
    }

    /// The path no string here takes, out of line so that the sites above stay small.
    @usableFromInline @inline(never)
    func withUTF8OfCopy<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var copy = self
        return copy.withUTF8(body)
    }

    /// Whether the string's UTF-8 bytes begin with `prefix`'s, byte for byte (UTF-8 makes that
    /// a scalar-for-scalar match). This and `utf8HasSuffix` share one loop over bytes read in
    /// place: `utf8.starts(with:)`, and its `reversed()` form for suffixes, were each a 1.4 KB
    /// specialisation in Embedded Swift.
    package func utf8HasPrefix(_ prefix: String) -> Bool { utf8Holds(prefix, atEnd: false) }

    /// Whether the string's UTF-8 bytes end with `suffix`'s, byte for byte.
    package func utf8HasSuffix(_ suffix: String) -> Bool { utf8Holds(suffix, atEnd: true) }

    @inline(never)
    private func utf8Holds(_ part: String, atEnd: Bool) -> Bool {
        withUTF8Bytes { whole in
            part.withUTF8Bytes { part in
                guard part.count <= whole.count else { return false }
                let start = atEnd ? whole.count - part.count : 0
                for i in 0..<part.count where whole[start + i] != part[i] { return false }
                return true
            }
        }
    }
}
