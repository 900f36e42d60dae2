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
}
