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

/// The shape is stored in 16 bits (the table has a few hundred rows), which takes the table from
/// 40 to 24 bytes a member; it reads as an `Int`.
struct SchemaMember {
    let name: StaticString
    private let storedShape: UInt16
    let required: Bool

    init(name: StaticString, shape: SchemaShapeID, required: Bool) {
        self.name = name
        storedShape = UInt16(shape)
        self.required = required
    }

    var shape: SchemaShapeID { Int(storedShape) }
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
        a.withUTF8Buffer { bytes -> Bool in
            var i = 0
            for byte in bytes {
                if UInt8(bitPattern: b[i]) != byte { return false }
                i += 1
            }
            return b[i] == 0
        }
    }
}
