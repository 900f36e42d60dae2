import Testing
@testable import IoTEventsAPI
import IoTEventsCore

/// checkUniqueIds tells ids apart by length and last eight bytes before comparing them whole:
/// ids alike there but not elsewhere are different, and equal ids of every length are found.
@Suite struct UniqueIdsTests {
    func check(_ ids: [String]) -> String? {
        let text = "[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        let bytes = Array(text.utf8CString)
        do throws(ServiceError) {
            let doc = try bytes.withUnsafeBufferPointer { (b) throws(ServiceError) -> JSONDocument in
                try JSONDocument.parse(b.baseAddress!, length: text.utf8.count, maxDepth: 64, what: "t")
            }
            try DetectorOperations.checkUniqueIds(doc.root.elements.map { Optional($0) }, member: "messages", idMember: "messageId")
            return nil
        } catch {
            return error.message
        }
    }

    @Test func alikeAtTheEndButDifferent() {
        #expect(check(["a-00000001", "b-00000001", "c-00000001"]) == nil)
        #expect(check(["prefix-differs-here-12345678", "prefix-differs-hare-12345678"]) == nil)
        #expect(check(["", "x", "xy", "yx", "1234567", "12345678", "123456789", "023456789"]) == nil)
    }

    @Test func equalIdsOfEveryLength() {
        #expect(check(["a", "b", "a"]) == "messages[2].messageId: a appears more than once in this request")
        #expect(check(["12345678", "x", "12345678"]) == "messages[2].messageId: 12345678 appears more than once in this request")
        #expect(check(["m-000000001", "m-000000002", "m-000000001"]) == "messages[2].messageId: m-000000001 appears more than once in this request")
        #expect(check(["", "k", ""]) == "messages[2].messageId:  appears more than once in this request")
        // Past sixteen entries the ids are hashed instead.
        #expect(check((0..<20).map { "id-\($0 % 19)" }) == "messages[19].messageId: id-0 appears more than once in this request")
    }
}
