// libFuzzer targets for the two files of a state directory (make fuzz-snapshot, make fuzz-log;
// one source, built with -DFUZZ_SNAPSHOT or -DFUZZ_LOG). The input is one flags byte, then the
// file:
//
//   bit 0  recompute the file's checksums (and the snapshot's body length) after mutation, so
//          that the mutation reaches the decoders behind the CRC-32C framing
//   bit 1  the other file is present and valid: for fuzz-snapshot a log of the next epoch with a
//          tick and a message; for fuzz-log a snapshot of an empty engine covering epoch 1
//          (seed logs are epoch 2 then, epoch 1 without it)
//
// The file goes into a scratch state directory and an engine is opened on it (Service.open). If
// it opens, every input it has gets a message, its detectors and alarms are listed and described,
// the clock moves on, and it closes; then the directory must open again (the library must read
// what it wrote itself). Any trap, ASan report or refused reopen stops the fuzzer.
//
// Seeds (IOTEVENTS_FUZZ_SEEDS=dir): every case of Tests/cases run on a state directory: the log
// as it was before the close, the snapshot the close wrote.
import Glibc
import IoTEventsAPI
import IoTEventsCore
import CJanssonShim

#if FUZZ_SNAPSHOT
private let targetName = "snapshot"
#else
private let targetName = "log"
#endif

private let directory = scratchDirectory(targetName)
private let configuration = fuzzConfiguration(stateDirectory: directory)

/// A snapshot of an empty engine under `configuration`, covering log epoch 1.
private let emptySnapshot: [UInt8] = {
    clearDirectory(directory)
    guard let service = openService(configuration).0 else { fatalError("cannot open \(directory)") }
    service.close()
    guard let bytes = readBytes(directory + "/snapshot") else { fatalError("no snapshot in \(directory)") }
    return bytes
}()

/// A message for every input name the cases send to (their first payload).
private let payloads: [String: String] = {
    var payloads: [String: String] = [:]
    for (_, steps) in caseScripts() {
        for case .put(let input, let payload) in steps where payloads[input] == nil { payloads[input] = payload }
    }
    return payloads
}()

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    writeSeedsIfAsked(targetName) { seeds in
        let seedDirectory = scratchDirectory(targetName + "-seeds")
        defer { clearDirectory(seedDirectory); rmdir(seedDirectory) }
        for (_, steps) in caseScripts() {
            clearDirectory(seedDirectory)
            guard let service = openService(fuzzConfiguration(stateDirectory: seedDirectory)).0 else { continue }
            runSteps(steps, on: service)
            let log = readBytes(seedDirectory + "/log") ?? []
            service.close()
            let snapshot = readBytes(seedDirectory + "/snapshot") ?? []
            #if FUZZ_SNAPSHOT
            if snapshot.count > 32 && snapshot.count < 65000 { seeds.add([1] + snapshot); seeds.add([3] + snapshot) }
            #else
            if log.count > 24 && log.count < 65000 {
                seeds.add([3] + log)
                seeds.add([1] + StateFraming.setLogEpoch(log, 1))
            }
            _ = snapshot
            #endif
        }
    }
    _ = emptySnapshot
    _ = payloads
    removeDirectoryAtExit(directory)
    return 0
}

/// What a test does with an engine that opened: a message per input, every detector and alarm
/// listed and described, the clock moved on.
func exercise(_ service: Service) {
    var id = 0
    for input in strings(checkedCall(service, "ListInputs", "{}").body, "inputSummaries", "inputName") {
        id += 1
        let payload = payloads[input] ?? #"{"id":"x","value":1}"#
        _ = checkedCall(service, "BatchPutMessage", putRequest(input, payload, id: id))
    }
    for model in strings(checkedCall(service, "ListDetectorModels", "{}").body, "detectorModelSummaries", "detectorModelName") {
        let listed = checkedCall(service, "ListDetectors", #"{"detectorModelName":""# + model + #""}"#).body
        for key in strings(listed, "detectorSummaries", "keyValue").prefix(4) {
            _ = checkedCall(service, "DescribeDetector", #"{"detectorModelName":""# + model + #"","keyValue":""# + key + #""}"#)
        }
        _ = checkedCall(service, "DescribeDetectorModel", #"{"detectorModelName":""# + model + #""}"#)
    }
    for model in strings(checkedCall(service, "ListAlarmModels", "{}").body, "alarmModelSummaries", "alarmModelName") {
        _ = checkedCall(service, "ListAlarms", #"{"alarmModelName":""# + model + #""}"#)
        _ = checkedCall(service, "DescribeAlarmModel", #"{"alarmModelName":""# + model + #""}"#)
    }
    let deadline = service.nextDeadline()
    if deadline > 0 && deadline < Int64.max / 2 { _ = service.tick(deadline) }
    _ = service.tick(fuzzStartMillis + 86_400_000)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStateFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let flags = data[0]
    var file = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    clearDirectory(directory)
    #if FUZZ_SNAPSHOT
    if flags & 1 != 0 { file = StateFraming.fixSnapshot(file) }
    writeBytes(directory + "/snapshot", file)
    if flags & 2 != 0 {
        let covers = StateFraming.snapshotCovers(file) ?? 0
        let now = fuzzStartMillis + 60_000
        let log = StateFraming.log(epoch: covers &+ 1, records: [
            StateFraming.tickRecord(now: now),
            StateFraming.callRecord("BatchPutMessage", now: now, request: putRequest("Heartbeat", #"{"deviceId":"d1","battery":5}"#, id: 1)),
        ])
        writeBytes(directory + "/log", log)
    }
    #else
    if flags & 1 != 0 { file = StateFraming.fixLog(file) }
    writeBytes(directory + "/log", file)
    if flags & 2 != 0 { writeBytes(directory + "/snapshot", emptySnapshot) }
    #endif
    let (opened, _) = openService(configuration)
    guard let service = opened else { return 0 }
    exercise(service)
    service.close()
    let (again, message) = openService(configuration)
    guard let reopened = again else { fatalError("the state directory the library wrote does not open again: \(message)") }
    _ = checkedCall(reopened, "ListInputs", "{}")
    reopened.close()
    return 0
}
