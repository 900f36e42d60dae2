// Shared by the API-level fuzz targets (config, snapshot, log, stateful): files, the case
// scripts of Tests/cases as lists of calls, scratch state directories, checked calls, and the
// CRC-32C framing of the state directory's two files (so mutated files get past their checksums).
import Glibc
import IoTEventsAPI
import IoTEventsCore
import CJanssonShim

/// The repository root (where Tests/cases and examples/models are): $IOTEVENTS_FUZZ_ROOT or ".".
let fuzzRoot: String = getenv("IOTEVENTS_FUZZ_ROOT").map { String(cString: $0) } ?? "."

/// The manual-clock configuration every target opens with (plus a stateDirectory where needed).
let fuzzStartMillis: Int64 = 1_700_000_000_000
func fuzzConfiguration(stateDirectory: String?) -> String {
    var text = #"{"clock":"manual","startTimeMillis":1700000000000,"limits":{"minTimerSeconds":1}"#
    if let stateDirectory { text += #","stateDirectory":""# + stateDirectory + #"","durability":"always""# }
    return text + "}"
}

func readBytes(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
    }
    return bytes
}

func readText(_ path: String) -> String? { readBytes(path).map { String(decoding: $0, as: UTF8.self) } }

@discardableResult
func writeBytes(_ path: String, _ bytes: [UInt8]) -> Bool {
    guard let file = fopen(path, "wb") else { return false }
    defer { fclose(file) }
    return bytes.isEmpty || fwrite(bytes, 1, bytes.count, file) == bytes.count
}

/// The names in `directory`, sorted (nil when it cannot be read).
func listDirectory(_ directory: String) -> [String] {
    guard let dir = opendir(directory) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

/// Writes numbered seed files into $IOTEVENTS_FUZZ_SEEDS.
struct SeedWriter {
    let directory: String
    var count = 0
    mutating func add(_ bytes: [UInt8]) {
        count += 1
        var name = String(count)
        while name.utf8.count < 5 { name = "0" + name }
        writeBytes(directory + "/" + name, bytes)
    }
}

/// Seed mode: when $IOTEVENTS_FUZZ_SEEDS names a directory, `body` writes the seeds there and the
/// process exits (called from LLVMFuzzerInitialize, before libFuzzer reads any corpus).
func writeSeedsIfAsked(_ target: String, _ body: (inout SeedWriter) -> Void) {
    guard let directory = getenv("IOTEVENTS_FUZZ_SEEDS").map({ String(cString: $0) }) else { return }
    var writer = SeedWriter(directory: directory)
    body(&writer)
    print("fuzz-\(target): \(writer.count) seeds in \(directory)")
    exit(0)
}

// -- case scripts ----------------------------------------------------------------------------

/// One command of a case script that touches an engine (Tests/cases/README.md).
enum ScriptStep {
    case open(String?)
    case close
    case call(String, String?)
    case put(String, String)
    case tick(Int64)
}

/// Every case script's steps, `@file` requests read in.
func caseScripts() -> [(name: String, steps: [ScriptStep])] {
    let cases = fuzzRoot + "/Tests/cases"
    var scripts: [(name: String, steps: [ScriptStep])] = []
    for name in listDirectory(cases) {
        guard let text = readText(cases + "/" + name + "/script") else { continue }
        scripts.append((name, parseScript(text, directory: cases + "/" + name)))
    }
    return scripts
}

func parseScript(_ text: String, directory: String) -> [ScriptStep] {
    var steps: [ScriptStep] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
        let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard let command = words.first else { continue }
        var rest: String? = words.count > 1 ? words[1...].joined(separator: " ") : nil
        switch command {
        case "open": steps.append(.open(rest))
        case "open-null": steps.append(.open(nil))
        case "close": steps.append(.close)
        case "tick": steps.append(.tick(rest.flatMap { Int64($0) } ?? -1))
        case "put":
            guard words.count == 3 else { continue }
            steps.append(.put(words[1], words[2]))
        case "call", "named", "call-no-response":
            guard words.count >= 2 else { continue }
            var op = words[1]
            if command == "named" {
                op = op.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            }
            rest = words.count == 3 ? words[2] : nil
            if let body = rest, body.hasPrefix("@") {
                rest = readText(directory + "/" + String(body.dropFirst()))
            }
            steps.append(.call(op, rest))
        default: continue
        }
    }
    return steps
}

/// The BatchPutMessage request of a script's `put` line.
func putRequest(_ input: String, _ payload: String, id: Int) -> String {
    #"{"messages":[{"messageId":"m"# + String(id) + #"","inputName":""# + input + #"","payload":"# + payload + "}]}"
}

/// Runs a script's calls (not its opens or closes) on `service`.
func runSteps(_ steps: [ScriptStep], on service: Service) {
    var puts = 0
    for step in steps {
        switch step {
        case .open, .close: continue
        case .call(let op, let body): _ = checkedCall(service, op, body)
        case .put(let input, let payload):
            puts += 1
            _ = checkedCall(service, "BatchPutMessage", putRequest(input, payload, id: puts))
        case .tick(let ms): _ = service.tick(ms)
        }
    }
}

/// Every detector-model, alarm-model and input document of the cases and examples/models.
func modelDocuments() -> (inputs: [String], detectorModels: [String], alarmModels: [String]) {
    var inputs: [String] = [], detectors: [String] = [], alarms: [String] = []
    func add(_ op: String, _ body: String) {
        switch op {
        case "CreateInput": inputs.append(body)
        case "CreateDetectorModel": detectors.append(body)
        case "CreateAlarmModel": alarms.append(body)
        default: break
        }
    }
    let models = fuzzRoot + "/examples/models"
    for file in listDirectory(models) {
        guard let text = readText(models + "/" + file) else { continue }
        if text.contains("\"inputDefinition\"") { add("CreateInput", text) }
        else if text.contains("\"detectorModelDefinition\"") { add("CreateDetectorModel", text) }
        else if text.contains("\"alarmRule\"") { add("CreateAlarmModel", text) }
    }
    for (_, steps) in caseScripts() {
        for case .call(let op, let body?) in steps { add(op, body) }
    }
    return (unique(inputs), unique(detectors), unique(alarms))
}

func unique(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}

// -- calls -----------------------------------------------------------------------------------

/// A call that must answer a status 0..9 and a JSON document (anything else stops the fuzzer).
func checkedCall(_ service: Service, _ op: String, _ request: String?) -> (status: Int32, body: String) {
    let result: CallResult
    if let request { result = service.call(op, request) } else { result = service.call(op, nil) }
    guard let body = result.body else { fatalError("\(op): no document") }
    defer { free(body) }
    var error = json_error_t()
    guard let parsed = json_loads(body, ie_json_load_flags(1), &error) else { fatalError("\(op): the document is not JSON: \(String(cString: body))") }
    ie_json_decref(parsed)
    if result.status < 0 || result.status > 9 { fatalError("\(op): status \(result.status)") }
    return (result.status, String(cString: body))
}

/// Opens an engine; nil (and the error text) when the library refuses.
func openService(_ configuration: String?) -> (Service?, String) {
    var service: Service?
    var message = ""
    func open(_ c: UnsafePointer<CChar>?) {
        do throws(ServiceError) { service = try Service.open(configuration: c) } catch {
            if error.message.isEmpty { fatalError("open failed without a message") }
            message = error.message
        }
    }
    if let configuration { configuration.withCString { open($0) } } else { open(nil) }
    return (service, message)
}

// -- scratch state directories ----------------------------------------------------------------

/// A state directory of this process on tmpfs (/dev/shm when there is one): fsync is free there.
func scratchDirectory(_ name: String) -> String {
    var base = getenv("IOTEVENTS_FUZZ_TMP").map { String(cString: $0) } ?? "/dev/shm"
    if access(base, W_OK) != 0 { base = "/tmp" }
    // Directories of processes that died (a crash skips atexit) are removed first.
    for entry in listDirectory(base) where entry.hasPrefix("iotevents-fuzz-") {
        guard let pid = entry.split(separator: "-").last.flatMap({ Int32($0) }), pid != getpid() else { continue }
        if kill(pid, 0) != 0 && errno == ESRCH { clearDirectory(base + "/" + entry); rmdir(base + "/" + entry) }
    }
    let path = base + "/iotevents-fuzz-" + name + "-" + String(getpid())
    mkdir(path, 0o700)
    clearDirectory(path)
    return path
}

/// Removes every file of a scratch directory (it holds no subdirectories).
func clearDirectory(_ path: String) {
    for name in listDirectory(path) { unlink(path + "/" + name) }
}

func removeDirectoryAtExit(_ path: String) {
    scratchDirectories.append(path)
    if scratchDirectories.count == 1 {
        atexit {
            for path in scratchDirectories { clearDirectory(path); rmdir(path) }
        }
    }
}
nonisolated(unsafe) var scratchDirectories: [String] = []

// -- the state directory's framing --------------------------------------------------------------

enum StateFraming {
    static let logHeaderBytes = 24
    static let frameBytes = 12
    static let snapshotHeaderBytes = 32

    static func putU32(_ v: UInt32, _ bytes: inout [UInt8], at offset: Int) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
    }
    static func putU64(_ v: UInt64, _ bytes: inout [UInt8], at offset: Int) {
        for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
    }
    static func u32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
        return v
    }
    static func u64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        return v
    }

    /// A log whose header and frames carry correct checksums again: each frame's length is
    /// kept if it fits in what follows (else cut to the rest), its length and body CRCs redone.
    static func fixLog(_ data: [UInt8]) -> [UInt8] {
        var bytes = data
        guard bytes.count >= logHeaderBytes else { return bytes }
        putU32(CRC32C.checksum(bytes[8..<20]), &bytes, at: 20)
        var offset = logHeaderBytes
        while bytes.count - offset >= frameBytes {
            var length = Int(u32(bytes, at: offset))
            let room = bytes.count - offset - frameBytes
            if length > room { length = room; putU32(UInt32(length), &bytes, at: offset) }
            putU32(CRC32C.checksum(bytes[offset..<(offset + 4)]), &bytes, at: offset + 4)
            let body = (offset + frameBytes)..<(offset + frameBytes + length)
            putU32(CRC32C.checksum(bytes[body]), &bytes, at: offset + 8)
            offset = body.upperBound
            if length == 0 { break }
        }
        return bytes
    }

    /// A log file: the header of `epoch`, then `records` (each a record body) framed.
    static func log(epoch: UInt64, records: [[UInt8]]) -> [UInt8] {
        var bytes = Array("IOTEVLOG".utf8) + [1, 0, 0, 0] + [UInt8](repeating: 0, count: 12)
        putU64(epoch, &bytes, at: 12)
        putU32(CRC32C.checksum(bytes[8..<20]), &bytes, at: 20)
        for body in records {
            var frame = [UInt8](repeating: 0, count: frameBytes)
            putU32(UInt32(body.count), &frame, at: 0)
            putU32(CRC32C.checksum(frame[0..<4]), &frame, at: 4)
            putU32(CRC32C.checksum(body), &frame, at: 8)
            bytes += frame + body
        }
        return bytes
    }

    /// Sets a log's epoch (its header checksum redone).
    static func setLogEpoch(_ data: [UInt8], _ epoch: UInt64) -> [UInt8] {
        guard data.count >= logHeaderBytes else { return data }
        var bytes = data
        putU64(epoch, &bytes, at: 12)
        putU32(CRC32C.checksum(bytes[8..<20]), &bytes, at: 20)
        return bytes
    }

    static func logEpoch(_ data: [UInt8]) -> UInt64? {
        data.count >= logHeaderBytes ? u64(data, at: 12) : nil
    }

    /// The body of a logged call (LogRecord.call) or tick.
    static func callRecord(_ op: String, now: Int64, request: String) -> [UInt8] {
        var w = ByteWriter()
        w.u8(1)
        w.i64(now)
        w.string(op)
        w.run(Array(request.utf8))
        return w.bytes
    }
    static func tickRecord(now: Int64) -> [UInt8] {
        var w = ByteWriter()
        w.u8(2)
        w.i64(now)
        return w.bytes
    }

    /// A snapshot whose body length and checksum match its body again.
    static func fixSnapshot(_ data: [UInt8]) -> [UInt8] {
        var bytes = data
        guard bytes.count >= snapshotHeaderBytes else { return bytes }
        putU64(UInt64(bytes.count - snapshotHeaderBytes), &bytes, at: 20)
        let all = Array(bytes[8..<28]) + Array(bytes[snapshotHeaderBytes...])
        putU32(CRC32C.checksum(all), &bytes, at: 28)
        return bytes
    }

    static func snapshotCovers(_ data: [UInt8]) -> UInt64? {
        data.count >= snapshotHeaderBytes ? u64(data, at: 12) : nil
    }
}

/// The string `field` of every object in the array `key` of a response document.
func strings(_ body: String, _ key: String, _ field: String) -> [String] {
    var error = json_error_t()
    guard let root = json_loads(body, ie_json_load_flags(1), &error) else { return [] }
    defer { ie_json_decref(root) }
    guard let array = json_object_get(root, key) else { return [] }
    var out: [String] = []
    for i in 0..<json_array_size(array) {
        if let item = json_array_get(array, i), let value = json_object_get(item, field), let text = json_string_value(value) {
            out.append(String(cString: text))
        }
    }
    return out
}
