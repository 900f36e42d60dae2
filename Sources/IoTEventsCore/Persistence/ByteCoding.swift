/// A little-endian binary writer and reader for the state directory's files (the write-ahead log
/// and snapshots). Fixed-width integers, length-prefixed strings and byte runs: simple to check,
/// and the same bytes in both build profiles.
package struct ByteWriter {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    package mutating func reserve(_ count: Int) { bytes.reserveCapacity(bytes.count + count) }
    package mutating func u8(_ v: UInt8) { bytes.append(v) }
    package mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

    package mutating func u32(_ v: UInt32) {
        var x = v
        for _ in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: x)); x >>= 8 }
    }

    package mutating func u64(_ v: UInt64) {
        var x = v
        for _ in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: x)); x >>= 8 }
    }

    package mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    package mutating func double(_ v: Double) { u64(v.bitPattern) }

    /// A count or length: u32 (the engine's limits keep every one far below 2^32).
    package mutating func count(_ n: Int) { u32(UInt32(truncatingIfNeeded: n)) }

    package mutating func string(_ s: String) {
        count(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }

    package mutating func run(_ b: [UInt8]) {
        count(b.count)
        bytes.append(contentsOf: b)
    }

    /// Raw bytes with no length prefix (frames, headers).
    package mutating func raw<C: Collection>(_ b: C) where C.Element == UInt8 { bytes.append(contentsOf: b) }

    /// Overwrites 4 bytes at `offset` (a length or checksum written after its content).
    package mutating func patchU32(_ v: UInt32, at offset: Int) {
        var x = v
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: x); x >>= 8 }
    }
}

/// Why bytes could not be read back: they end early or hold a value no writer produces.
package struct ByteReadError: Error {
    package let offset: Int
    package let reason: String
}

package struct ByteReader {
    private let bytes: [UInt8]
    package private(set) var offset: Int
    private let end: Int

    package init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.offset = start
        self.end = end ?? bytes.count
    }

    package var remaining: Int { end - offset }
    package var atEnd: Bool { offset >= end }

    package func failure(_ reason: String) -> ByteReadError { ByteReadError(offset: offset, reason: reason) }

    private mutating func take(_ n: Int) throws(ByteReadError) -> Int {
        guard n >= 0, n <= end - offset else { throw failure("ends after \(end - offset) bytes, \(n) needed") }
        let at = offset
        offset += n
        return at
    }

    package mutating func u8() throws(ByteReadError) -> UInt8 { bytes[try take(1)] }

    package mutating func bool() throws(ByteReadError) -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        default: throw failure("a boolean that is neither 0 nor 1")
        }
    }

    package mutating func u32() throws(ByteReadError) -> UInt32 {
        let at = try take(4)
        var v: UInt32 = 0
        for i in (0..<4).reversed() { v = v << 8 | UInt32(bytes[at + i]) }
        return v
    }

    package mutating func u64() throws(ByteReadError) -> UInt64 {
        let at = try take(8)
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = v << 8 | UInt64(bytes[at + i]) }
        return v
    }

    package mutating func i64() throws(ByteReadError) -> Int64 { Int64(bitPattern: try u64()) }
    package mutating func double() throws(ByteReadError) -> Double { Double(bitPattern: try u64()) }

    /// A count, checked against what could possibly follow (each element takes at least
    /// `minimumElementBytes`), so a corrupt count cannot make the reader allocate gigabytes.
    package mutating func count(minimumElementBytes: Int = 1) throws(ByteReadError) -> Int {
        let n = Int(try u32())
        guard n <= remaining / max(minimumElementBytes, 1) else { throw failure("a count of \(n) that the data cannot hold") }
        return n
    }

    package mutating func string() throws(ByteReadError) -> String {
        let n = try count()
        let at = try take(n)
        return String(decoding: bytes[at..<(at + n)], as: UTF8.self)
    }

    package mutating func run() throws(ByteReadError) -> [UInt8] {
        let n = try count()
        let at = try take(n)
        return Array(bytes[at..<(at + n)])
    }

    package mutating func raw(_ n: Int) throws(ByteReadError) -> ArraySlice<UInt8> {
        let at = try take(n)
        return bytes[at..<(at + n)]
    }
}
