import Testing
@testable import IoTEventsAPI
import IoTEventsCore
import CLibcShim

/// Service.snapshotText / Service.restore (iotevents_snapshot / iotevents_restore): a restored
/// service answers as the original; a damaged text is refused naming why, changing nothing.
/// (bindings/python/tests/test_snapshot.py covers future behaviour through the C ABI, both profiles.)
@Suite struct SnapshotTextTests {
    func call(_ service: Service, _ op: String, _ body: String) -> (Int32, String) {
        let result = op.withCString { o in body.withCString { b in service.call(o, b) } }
        defer { free(result.body) }
        return (result.status, result.body.map { String(cString: $0) } ?? "")
    }

    func filled() throws -> Service {
        let service = try Service.open(configuration: #"{"clock":"manual","startTimeMillis":1700000000000}"#)
        _ = call(service, "CreateInput", #"{"inputName":"In","inputDefinition":{"attributes":[{"jsonPath":"id"}]}}"#)
        let model = #"{"detectorModelName":"m","key":"id","roleArn":"arn:aws:iam::123456789012:role/r","detectorModelDefinition":{"initialStateName":"A","states":[{"stateName":"A","onInput":{"events":[{"eventName":"e","condition":"currentInput(\"In\")","actions":[{"setTimer":{"timerName":"t","seconds":60}}]}]}}]}}"#
        #expect(call(service, "CreateDetectorModel", model).0 == 0)
        #expect(call(service, "BatchPutMessage", #"{"messages":[{"messageId":"1","inputName":"In","payload":{"id":"k"}}]}"#).0 == 0)
        return service
    }

    @Test func aRestoredServiceAnswersAsTheOriginal() throws {
        let original = try filled()
        let text = original.snapshotText()
        let restored = try Service.open(configuration: #"{"clock":"manual"}"#)
        var failure: ServiceError?
        text.withCString { c in
            do throws(ServiceError) { try restored.restore(c) } catch { failure = error }
        }
        #expect(failure == nil)
        let describe = #"{"detectorModelName":"m","keyValue":"k"}"#
        #expect(call(restored, "DescribeDetector", describe).1 == call(original, "DescribeDetector", describe).1)
        #expect(restored.nextDeadline() == original.nextDeadline())
        #expect(restored.nextDeadline() == 1700000060000)
    }

    @Test func damagedTextIsRefusedAndChangesNothing() throws {
        let original = try filled()
        let text = Array(original.snapshotText().utf8)
        let target = try Service.open(configuration: nil)
        let cases: [([UInt8], String)] = [
            (Array("not base64!".utf8), "not base64"),
            (Array(text[0..<(text.count / 8 * 4)]), "truncated"),
            (Array("SU9URVZTTlAAAAAB".utf8), "does not start with the snapshot header"),
        ]
        for (bytes, words) in cases {
            var failure: ServiceError?
            String(decoding: bytes, as: UTF8.self).withCString { c in
                do throws(ServiceError) { try target.restore(c) } catch { failure = error }
            }
            #expect(failure?.kind == .invalidRequest)
            #expect(failure?.message.contains(words) == true, "\(failure?.message ?? "no error")")
        }
        #expect(call(target, "ListInputs", "{}").1 == #"{"inputSummaries":[]}"#)
    }
}
