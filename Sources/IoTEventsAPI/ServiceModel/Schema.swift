import IoTEventsCore

/// The service models' request shapes as constant tables (generated into
/// ServiceSchema.generated.swift), and the types those tables are made of.

typealias SchemaShapeID = Int

enum SchemaKind: UInt8 {
    case structure, list, string, integer, long, boolean, timestamp, blob, double
}

/// One shape. For a structure, `first`/`count` index `schemaMembers`; for a list, `first` is the
/// member shape. `min`/`max` are -1 when the model gives none (lengths for strings and lists,
/// values for numbers).
///
/// Indices and counts are 16 bits (the tables have a few hundred rows), which takes the table
/// from 64 to 32 bytes a shape; `members`, `element` and `enumValues` read them as `Int`s.
struct SchemaShape {
    let kind: SchemaKind
    let first: UInt16
    let count: UInt16
    let min: Int64
    let max: Int64
    let pattern: SchemaPattern
    let enumFirst: UInt16
    let enumCount: UInt16

    /// A structure's members: indices of `schemaMembers`.
    var members: Range<Int> { Int(first) ..< Int(first) + Int(count) }
    /// A list's member shape.
    var element: SchemaShapeID { Int(first) }
    /// A string's allowed values: indices of `schemaEnumValues`.
    var enumValues: Range<Int> { Int(enumFirst) ..< Int(enumFirst) + Int(enumCount) }
}

/// The shape is stored in 16 bits (the table has a few hundred rows); it reads as an `Int`.
/// With the name as a `SchemaName` a member is 8 bytes (it was 24, with a StaticString).
struct SchemaMember {
    let name: SchemaName
    private let storedShape: UInt16
    let required: Bool

    init(name: SchemaName, shape: SchemaShapeID, required: Bool) {
        self.name = name
        storedShape = UInt16(shape)
        self.required = required
    }

    var shape: SchemaShapeID { Int(storedShape) }
}

/// A member name or an enum value: where it starts in `schemaNames` and how long it is. The
/// tables hold these offsets instead of StaticStrings because each StaticString holds a pointer
/// the loader must relocate: ~290 of them were 14 KB of the small library (the entries and their
/// relocation records).
struct SchemaName {
    private let offset: UInt16
    private let length: UInt8

    init(at offset: Int, length: Int) {
        self.offset = UInt16(offset)
        self.length = UInt8(length)
    }

    /// The name's bytes, a NUL right after them.
    var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: SchemaName.block() + Int(offset), count: Int(length))
    }

    /// The name as a NUL-terminated C string (for jansson).
    var cString: UnsafePointer<CChar> {
        UnsafeRawPointer(SchemaName.block() + Int(offset)).assumingMemoryBound(to: CChar.self)
    }

    /// `schemaNames`, read in this one place: the literal holds NULs, so the linker cannot merge
    /// its copies, and each function that read it inlined carried its own (7 KB in all).
    @inline(never)
    private static func block() -> UnsafePointer<UInt8> { schemaNames.utf8Start }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether the NUL-terminated `key` is this name, byte for byte.
    func equals(_ key: UnsafePointer<CChar>) -> Bool { StaticStrings.equal(bytes, key) }
}

extension Operation {
    /// The operation with this AWS name ("CreateInput"), if there is one.
    package init?(name: UnsafePointer<CChar>) {
        for op in Operation.allCases where StaticStrings.equal(op.name, name) {
            self = op
            return
        }
        return nil
    }

    package var nameString: String { StaticStrings.string(name) }
}

extension StaticStrings {
    static func string(_ s: StaticString) -> String {
        s.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
    }
}

enum StaticStrings {
    /// Whether a NUL-terminated C string equals a static string, byte for byte.
    static func equal(_ a: StaticString, _ b: UnsafePointer<CChar>) -> Bool {
        a.withUTF8Buffer { equal($0, b) }
    }

    /// Whether a NUL-terminated C string is exactly `a`'s bytes (it stops at the first byte that
    /// differs, so it never reads past `b`'s NUL).
    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafePointer<CChar>) -> Bool {
        for i in 0..<a.count where UInt8(bitPattern: b[i]) != a[i] { return false }
        return b[a.count] == 0
    }
}
