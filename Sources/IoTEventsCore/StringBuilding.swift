#if hasFeature(Embedded)
/// String interpolation, one call per segment in the small profile. Embedded Swift compiles the
/// standard library into this library and inlined the append of every segment of every
/// interpolation (`"Detector model \(name) does not exist"`: three appends, about 1 KB), on some
/// 600 interpolation sites, most of them error and log messages: 305 KB of the 1.19 MB library.
/// These overloads are chosen over the standard library's `appendLiteral` and generic
/// `appendInterpolation` (a declaration shadows the one of a module its module imports, a concrete type
/// beats a generic) and write the same text the same way (`write`, `description`), out of line.
/// Any other type interpolated still takes the standard library's inlined path. The standard
/// profile keeps the standard library's code, which is not inlined to this extent.
/// (`import IoTEventsCore` makes them visible in a file of another module.)
extension DefaultStringInterpolation {
    @inline(never)
    package mutating func appendLiteral(_ literal: String) {
        write(literal)
    }

    @inline(never)
    package mutating func appendInterpolation(_ value: String) {
        write(value)
    }

    @inline(never)
    package mutating func appendInterpolation(_ value: Int) {
        write(value.description)
    }

    @inline(never)
    package mutating func appendInterpolation(_ value: Int64) {
        write(value.description)
    }

    @inline(never)
    package mutating func appendInterpolation(_ value: UInt64) {
        write(value.description)
    }
}

/// Appending one String to another (`append`, `+=`; `+` is out of line already), out of line for
/// the same reason: the standard library's append was inlined into ~70 sites.
extension String {
    @inline(never)
    package mutating func append(_ other: String) {
        append(contentsOf: other)
    }

    package static func += (lhs: inout String, rhs: String) {
        lhs.append(rhs)
    }
}
#endif
