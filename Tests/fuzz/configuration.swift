// libFuzzer target for the configuration document of iotevents_open (make fuzz-config): the
// input is the document. ConfigurationDecoder must accept it or refuse it with an error (never
// trap); an engine it opens must then take the example input and detector model, a message, a
// tick and the describe calls, and close.
//
// A stateDirectory is never used where the input says: a document that names one gets this
// process's scratch directory instead (emptied before each run), so the fuzzer cannot create
// directories around the machine.
import Glibc
import IoTEventsAPI
import IoTEventsCore
import CJanssonShim

private let stateDirectory = scratchDirectory("config")

private let models: [(String, String)] = {
    var calls: [(String, String)] = []
    for (op, file) in [("CreateInput", "heartbeat-input.json"), ("CreateDetectorModel", "heartbeat.json")] {
        if let text = readText(fuzzRoot + "/examples/models/" + file) { calls.append((op, text)) }
    }
    return calls
}()

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    writeSeedsIfAsked("config") { seeds in
        // Every open line of the cases, then documents that set every key.
        var texts: [String] = []
        for (_, steps) in caseScripts() {
            for case .open(let text?) in steps { texts.append(text) }
        }
        texts += [
            "{}", "null", "[]", fuzzConfiguration(stateDirectory: nil), fuzzConfiguration(stateDirectory: "/state"),
            #"{"clock":"system","timerThread":true,"inputProjection":"payload","alarmRejectedActions":"ignore","alarmNotifications":"always"}"#,
            #"{"clock":"manual","startTimeMillis":0,"inputProjection":"declared","alarmRejectedActions":"error","alarmNotifications":"acknowledgeFlow"}"#,
            #"{"stateDirectory":"/state","durability":"groupCommit","groupCommitMillis":1,"snapshotLogBytes":4096}"#,
            #"{"stateDirectory":"/state","durability":"always","snapshotLogBytes":1099511627776}"#,
            #"{"region":"eu-west-1","accountId":"123456789012","startTimeMillis":9223372036854775807,"clock":"manual"}"#,
        ]
        var low = #"{"clock":"manual","limits":{"#
        var high = #"{"clock":"manual","startTimeMillis":1700000000000,"limits":{"#
        for (i, entry) in Limits.entries.enumerated() {
            let key = entry.key.description
            low += (i > 0 ? "," : "") + "\"\(key)\":\(entry.minimum)"
            high += (i > 0 ? "," : "") + "\"\(key)\":\(entry.maximum)"
            texts.append(#"{"clock":"manual","startTimeMillis":1700000000000,"limits":{""# + key + "\":\(entry.minimum)}}")
        }
        texts += [low + "}}", high + "}}"]
        for text in unique(texts) { seeds.add(Array(text.utf8)) }
    }
    _ = stateDirectory
    removeDirectoryAtExit(stateDirectory)
    return 0
}

/// The input with any stateDirectory pointed at the scratch directory; nil when that cannot be
/// made sure of (then the input is skipped).
///
/// The library reads the document only up to its first NUL byte (a C string), so this does too,
/// and parses it with the library's jansson flags: when that parse succeeds the library sees the
/// same members. When it fails, the text goes to the library as it is only if no widening of big
/// integers can make it parse there (it then fails there too), or if it cannot name the member:
/// no "stateDirectory" in it and no backslash escape.
private func confined(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8]? {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let length = bytes.firstIndex(of: 0) ?? size
    let text = Array(bytes[0..<length])
    var error = json_error_t()
    let root: UnsafeMutablePointer<json_t>? = text.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { json_loadb($0.baseAddress, length, ie_json_load_flags(1), &error) }
    }
    guard let root else {
        if ie_json_error_is_numeric_overflow(&error) == 0 { return text }
        if text.contains(UInt8(ascii: "\\")) || String(decoding: text, as: UTF8.self).contains("stateDirectory") { return nil }
        return text
    }
    defer { ie_json_decref(root) }
    guard ie_json_is_object(root) != 0, json_object_get(root, "stateDirectory") != nil else { return text }
    // Whatever it holds (a wrong type is refused by the library all the same), a string naming
    // the scratch directory replaces it, and the library gets this serialisation.
    if let value = json_object_get(root, "stateDirectory"), ie_json_is_string(value) != 0, json_string_length(value) > 0 {
        _ = ie_json_object_set_new(root, "stateDirectory", json_string(stateDirectory))
    } else {
        return text  // refused by the library: no directory
    }
    guard let dumped = json_dumps(root, ie_json_dump_flags(17)) else { return nil }
    defer { free(dumped) }
    clearDirectory(stateDirectory)
    return Array(UnsafeBufferPointer(start: UnsafeRawPointer(dumped).assumingMemoryBound(to: UInt8.self), count: strlen(dumped)))
}

/// A last guard: the engine that opened must use no directory but the scratch one.
private func checkConfined(_ service: Service) {
    if let used = service.configuration.stateDirectory, used != stateDirectory {
        fatalError("fuzz-config let the library open the state directory '\(used)'")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigDocument(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard var text = confined(data, size) else { return 0 }
    text.append(0)
    let opened: Service? = text.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { c in
            do throws(ServiceError) { return try Service.open(configuration: c) } catch {
                if error.message.isEmpty { fatalError("open failed without a message") }
                return nil
            }
        }
    }
    guard let service = opened else { return 0 }
    checkConfined(service)
    for (op, body) in models { _ = checkedCall(service, op, body) }
    _ = checkedCall(service, "BatchPutMessage", #"{"messages":[{"messageId":"c1","inputName":"Heartbeat","payload":{"deviceId":"d1","battery":5}}]}"#)
    _ = service.nextDeadline()
    _ = service.tick(fuzzStartMillis + 400_000)
    _ = checkedCall(service, "DescribeDetector", #"{"detectorModelName":"deviceHeartbeat","keyValue":"d1"}"#)
    _ = checkedCall(service, "ListDetectors", #"{"detectorModelName":"deviceHeartbeat"}"#)
    service.close()
    return 0
}
