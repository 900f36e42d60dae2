#if hasFeature(Embedded)
/// Strings made from UTF-8 bytes, one call per site in the small profile. Embedded Swift inlined
/// the standard library's validation, repair and small-string paths into every
/// `String(decoding:as:)` and `String(cString:)` (and into every use of the accessors that call
/// them, such as `JSONValue.string`). These overloads are chosen over the standard library's (a
/// concrete type beats a generic; a declaration shadows the one of a module its module imports)
/// and decode the same way, invalid UTF-8 repaired to U+FFFD, out of line. The standard profile
/// keeps the standard library's code. (`import IoTEventsCore` makes them visible in a file of
/// another module.)
extension String {
    @inline(never)
    package init(decoding bytes: UnsafeBufferPointer<UInt8>, as encoding: UTF8.Type) {
        // The standard library's generic initializer: a raw buffer matches none of these.
        self = String(decoding: UnsafeRawBufferPointer(bytes), as: UTF8.self)
    }

    package init(decoding bytes: [UInt8], as encoding: UTF8.Type) {
        self = bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    package init(decoding bytes: ArraySlice<UInt8>, as encoding: UTF8.Type) {
        self = bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    @inline(never)
    package init(cString: UnsafePointer<CChar>) {
        var length = 0
        while cString[length] != 0 { length += 1 }
        self = cString.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }
}
#endif
