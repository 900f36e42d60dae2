/// A declared input attribute: the `jsonPath` of `CreateInput`, split into its segments.
///
/// `meta.`fw-version`` is the two segments `meta` and `fw-version`: backticks only quote a segment
/// (the service model's pattern keeps dots and backticks out of quoted segments).
package struct AttributePath: Equatable, Hashable, Sendable {
    /// The path exactly as declared; `DescribeInput` returns it unchanged.
    package let text: String
    package let segments: [String]

    /// Splits a path the API layer has already checked against the service model's pattern.
    package init(_ text: String) {
        self.text = text
        var segments: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "."):
                segments.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            case UInt8(ascii: "`"):
                continue
            default:
                current.append(byte)
            }
        }
        segments.append(String(decoding: current, as: UTF8.self))
        self.segments = segments
    }
}
