// libFuzzer target for the request path of every operation (make fuzz-requests): the first byte
// picks the operation, the rest is its request text. Every input runs on a fresh engine that
// already holds the example inputs and models (so data-plane requests reach detectors and alarms,
// and model documents meet existing names); it must answer a status and a well-formed document,
// never trap, and a failed call must leave the engine answering as before.
import IoTEventsAPI
import IoTEventsCore
import CJanssonShim

private let setup: [(String, String)] = {
    var calls: [(String, String)] = []
    for (op, file) in [("CreateInput", "heartbeat-input.json"), ("CreateInput", "boiler-input.json"),
                       ("CreateDetectorModel", "heartbeat.json"), ("CreateAlarmModel", "boiler-alarm.json")] {
        if let text = readModel(file) { calls.append((op, text)) }
    }
    calls.append(("BatchPutMessage", #"{"messages":[{"messageId":"s1","inputName":"Heartbeat","payload":{"deviceId":"d1","battery":5}},{"messageId":"s2","inputName":"BoilerPressure","payload":{"boilerId":"b1","bar":9}}]}"#))
    return calls
}()

private func readModel(_ name: String) -> String? {
    let directory = getenv("IOTEVENTS_FUZZ_MODELS").map { String(cString: $0) } ?? "examples/models"
    guard let file = fopen(directory + "/" + name, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}

private func run(_ service: Service, _ op: Operation, _ text: UnsafePointer<CChar>?) -> (Int32, String) {
    let result = service.call(op, text)
    guard let body = result.body else { fatalError("\(op.nameString): no document") }
    defer { free(body) }
    var error = json_error_t()
    guard let parsed = json_loads(body, 0, &error) else { fatalError("\(op.nameString): the document is not JSON") }
    ie_json_decref(parsed)
    return (result.status, String(cString: body))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let operations = Operation.allCases
    let op = operations[Int(data[0]) % operations.count]
    guard let service = try? Service.open(configuration: #"{"clock":"manual","startTimeMillis":1700000000000,"limits":{"minTimerSeconds":1}}"#) else {
        fatalError("open")
    }
    for (name, text) in setup { free(service.call(name, text).body) }
    let probe = "{\"detectorModelName\":\"deviceHeartbeat\",\"keyValue\":\"d1\"}"
    let before = run(service, .describeDetector, probe)
    var text = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    text.append(0)
    let (status, _) = text.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { run(service, op, $0) }
    }
    if status < 0 || status > 9 { fatalError("\(op.nameString): status \(status)") }
    if status != 0 {
        let after = run(service, .describeDetector, probe)
        if after.1 != before.1 { fatalError("\(op.nameString) failed but changed the engine: \(before.1) -> \(after.1)") }
    }
    _ = service.tick(1700000400000)
    service.close()
    return 0
}
