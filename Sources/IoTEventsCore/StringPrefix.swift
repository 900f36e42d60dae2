extension String {
    /// The first `count` Unicode scalars, for messages that show a shortened text. Counted in
    /// scalars, never Characters: these were the library's only grapheme-cluster operations, and
    /// grapheme breaking brings its Unicode tables and code into the small library.
    package func prefix(scalars count: Int) -> String {
        String(unicodeScalars.prefix(count))
    }
}
