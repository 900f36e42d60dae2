import Testing
@testable import IoTEventsAPI

@Suite struct Base64Tests {
    /// Decodes `s` both ways (into an array, into temporary memory), which must agree.
    func d(_ s: String) -> [UInt8]? {
        Array(s.utf8).withUnsafeBufferPointer { text in
            let array = Base64.decode(text)
            let temporary = Base64.withDecoded(text) { $0.map { Array($0) } }
            #expect(array == temporary, "\(s)")
            return array
        }
    }

    @Test func rfc4648Vectors() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(d(encoded) == Array(plain.utf8))
        }
    }

    @Test func rejectsNonCanonicalText() {
        for bad in ["Zg", "Zg=", "Z===", "Zg==Zg==", "Zm9v!", "Zm 9v", "=Zm9", "Zm=v", "Zm9v\u{80}AA", "Zg=A", "====", "Zm9vZ\u{FF}="] {
            #expect(d(bad) == nil, "\(bad)")
        }
    }

    @Test func everyByteRoundTrips() {
        var bytes: [UInt8] = []
        for b in 0...255 { bytes.append(UInt8(b)) }
        for length in [0, 1, 2, 3, 254, 255, 256] {
            let slice = Array(bytes.prefix(length))
            #expect(d(Base64.encode(slice)) == slice)
        }
    }
}
