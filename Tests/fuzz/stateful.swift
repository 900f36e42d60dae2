// libFuzzer target for sequences of calls (make fuzz-stateful): the input is a small script, one
// command a line, run on two engines at once: an in-memory engine and a durable one (a scratch
// state directory), both on the manual clock from the same instant. Every call must give both the
// same status, the same document and the same actions; after a reopen of the durable engine
// everything listed and described must still agree. Crashes, ASan reports, timeouts and any
// divergence stop the fuzzer.
//
//   call OP [JSON]        the call on both engines (state-changing or not)
//   put INPUT PAYLOAD     a BatchPutMessage of one message (ids m1, m2, …)
//   tick MS | tick max | tick +SECONDS    iotevents_tick on both (max: Int64.max)
//   model N               create the N-th input / detector model / alarm model of the corpus
//                         (examples/models and every model of Tests/cases, in that order)
//   update N KEY VALUE SECONDS    BatchUpdateDetector of the N-th corpus detector model: its first
//                         state, every variable it sets to VALUE, every timer it sets to SECONDS
//   alarm OP N KEY        an operator call (ack, disable, enable, reset, snooze) on the N-th
//                         corpus alarm model
//   reopen / close        close the durable engine and open it again on its directory
//   check                 compare everything listed and described
//
// The `open` lines of a case are ignored (both engines use one configuration); at most 300
// commands run. Seeds (IOTEVENTS_FUZZ_SEEDS=dir): every case script, with `reopen` and `check`
// after every 10 commands, plus `model N` scripts for every corpus model.
import Glibc
import IoTEventsAPI
import IoTEventsCore
import CJanssonShim

private let directory = scratchDirectory("stateful")
private let durableConfiguration = fuzzConfiguration(stateDirectory: directory)
private let memoryConfiguration = fuzzConfiguration(stateDirectory: nil)

/// Every corpus model: (operation, document, its name, the state, variable and timer names in it).
private struct CorpusModel {
    let op: String
    let text: String
    let name: String
    let states: [String]
    let variables: [String]
    let timers: [String]
}

private let corpus: [CorpusModel] = {
    let documents = modelDocuments()
    var models: [CorpusModel] = []
    func add(_ op: String, _ texts: [String], _ nameKey: String) {
        for text in texts {
            var found: [String: [String]] = [:]
            var error = json_error_t()
            guard let root = json_loads(text, 0, &error) else { continue }
            collect(root, into: &found)
            ie_json_decref(root)
            guard let name = found[nameKey]?.first else { continue }
            models.append(CorpusModel(op: op, text: text, name: name, states: unique(found["stateName"] ?? []),
                                      variables: unique(found["variableName"] ?? []), timers: unique(found["timerName"] ?? [])))
        }
    }
    add("CreateInput", documents.inputs, "inputName")
    add("CreateDetectorModel", documents.detectorModels, "detectorModelName")
    add("CreateAlarmModel", documents.alarmModels, "alarmModelName")
    return models
}()
private let detectorModels = corpus.filter { $0.op == "CreateDetectorModel" }
private let alarmModels = corpus.filter { $0.op == "CreateAlarmModel" }

/// Every string member of a JSON tree, by key.
private func collect(_ value: UnsafeMutablePointer<json_t>, into found: inout [String: [String]]) {
    if ie_json_is_object(value) != 0 {
        var iterator = json_object_iter(value)
        while let it = iterator {
            let key = String(cString: json_object_iter_key(it))
            if let member = json_object_iter_value(it) {
                if let text = json_string_value(member) { found[key, default: []].append(String(cString: text)) }
                collect(member, into: &found)
            }
            iterator = json_object_iter_next(value, it)
        }
    } else if ie_json_is_array(value) != 0 {
        for i in 0..<json_array_size(value) { if let item = json_array_get(value, i) { collect(item, into: &found) } }
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    writeSeedsIfAsked("stateful") { seeds in
        for (name, _) in caseScripts() {
            guard let text = readText(fuzzRoot + "/Tests/cases/" + name + "/script") else { continue }
            var lines: [String] = []
            var commands = 0
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                var line = String(line)
                // Inline @file requests: the fuzzer has no case directory.
                let words = line.split(separator: " ", maxSplits: 2).map(String.init)
                if words.count == 3, words[2].hasPrefix("@"),
                   let body = readText(fuzzRoot + "/Tests/cases/" + name + "/" + String(words[2].dropFirst())) {
                    line = words[0] + " " + words[1] + " " + compact(body)
                }
                lines.append(line)
                commands += 1
                if commands % 10 == 0 { lines += ["reopen", "check"] }
            }
            lines += ["reopen", "check"]
            let script = lines.joined(separator: "\n")
            if script.utf8.count < 16000 { seeds.add(Array(script.utf8)) }
        }
        for (i, model) in corpus.enumerated() where model.op != "CreateInput" {
            var lines = inputsOf(model).map { "model \($0)" } + ["model \(i)"]
            if model.op == "CreateDetectorModel", let n = detectorModels.firstIndex(where: { $0.name == model.name && $0.text == model.text }) {
                lines += ["update \(n) k1 42 3600", "tick +3600", "reopen", "check", "update \(n) k1 -1 1", "tick +1", "check"]
            } else if let n = alarmModels.firstIndex(where: { $0.name == model.name && $0.text == model.text }) {
                lines += ["alarm ack \(n) k1", "alarm snooze \(n) k1", "reopen", "alarm reset \(n) k1", "alarm disable \(n) k1", "check"]
            }
            seeds.add(Array(lines.joined(separator: "\n").utf8))
        }
        // Extreme instants and values on the heartbeat example (model 0.. are the examples).
        let heartbeat = corpus.indices.filter { corpus[$0].name == "deviceHeartbeat" }.prefix(1).flatMap { inputsOf(corpus[$0]).map { "model \($0)" } + ["model \($0)"] }
        for extra in [["tick max", "check"], ["tick 9223372036854775806", "reopen", "check"], ["tick +31622400", "reopen", "tick +1", "check"],
                      ["update 0 k1 1e308 31622400", "reopen", "tick max", "check"], ["update 0 k1 x 9223372036854775807", "check"],
                      [#"put Heartbeat {"deviceId":"d1","battery":1e308}"#, "reopen", #"put Heartbeat {"deviceId":"d1","battery":-1e308}"#, "check"]] {
            seeds.add(Array((heartbeat + extra).joined(separator: "\n").utf8))
        }
    }
    _ = corpus
    removeDirectoryAtExit(directory)
    return 0
}

/// The corpus inputs a model reads (their first definitions).
private func inputsOf(_ model: CorpusModel) -> [Int] {
    var seen = Set<String>()
    return corpus.indices.filter { i in
        corpus[i].op == "CreateInput" && model.text.contains("$input." + corpus[i].name + ".") && seen.insert(corpus[i].name).inserted
    }
}

/// A document on one line (seeds are line-based).
private func compact(_ text: String) -> String {
    var error = json_error_t()
    guard let root = json_loads(text, 0, &error) else { return text.split(separator: "\n").joined(separator: " ") }
    defer { ie_json_decref(root) }
    guard let out = json_dumps(root, ie_json_dump_flags(17)) else { return text }
    defer { free(out) }
    return String(cString: out)
}

/// The two engines and what the script has done to them.
private final class Twins {
    let memory: Service
    var durable: Service
    var puts = 0
    var requests = 0
    var script: [String] = []

    init(memory: Service, durable: Service) {
        self.memory = memory
        self.durable = durable
    }

    func fail(_ what: String) -> Never {
        fatalError("the durable engine diverged from the in-memory one: \(what)\nscript so far:\n" + script.joined(separator: "\n"))
    }

    @discardableResult
    func call(_ op: String, _ request: String?) -> String {
        let a = run(memory, op, request)
        let b = run(durable, op, request)
        if verbose { print("\(op) \(request ?? "NULL")\n  < \(a.status) \(a.body)") }
        if a.status != b.status || a.body != b.body || a.actions != b.actions {
            fail("\(op) answered\n  in memory: \(a.status) \(a.body) \(a.actions)\n  durable:   \(b.status) \(b.body) \(b.actions)")
        }
        return a.body
    }

    private func run(_ service: Service, _ op: String, _ request: String?) -> (status: Int32, body: String, actions: [String]) {
        let result: CallResult
        if let request { result = service.call(op, request) } else { result = service.call(op, nil) }
        guard let body = result.body else { fatalError("\(op): no document") }
        defer { free(body) }
        var error = json_error_t()
        guard let parsed = json_loads(body, ie_json_load_flags(1), &error) else { fatalError("\(op): the document is not JSON") }
        ie_json_decref(parsed)
        if result.status < 0 || result.status > 9 { fatalError("\(op): status \(result.status)") }
        return (result.status, String(cString: body), result.actions.map { ActionDocument.text($0) })
    }

    func tick(_ ms: Int64) {
        let ta = memory.tick(ms), tb = durable.tick(ms)
        let a = (count: ta.count, actions: ta.actions.map { ActionDocument.text($0) })
        let b = (count: tb.count, actions: tb.actions.map { ActionDocument.text($0) })
        if verbose { print("tick \(ms)\n  < \(a.count) \(a.actions)") }
        if a.count != b.count || a.actions != b.actions { fail("tick \(ms): \(a) vs \(b)") }
        let da = memory.nextDeadline(), db = durable.nextDeadline()
        if da != db { fail("next deadline after tick \(ms): \(da) vs \(db)") }
    }

    func reopen() {
        durable.close()
        let (again, message) = openService(durableOpen)
        guard let service = again else { fatalError("the durable engine does not open again: \(message)\nscript so far:\n" + script.joined(separator: "\n")) }
        durable = service
    }

    /// Everything listed and described, on both.
    func check() {
        for input in strings(call("ListInputs", "{}"), "inputSummaries", "inputName") {
            call("DescribeInput", #"{"inputName":""# + input + #""}"#)
        }
        for model in strings(call("ListDetectorModels", "{}"), "detectorModelSummaries", "detectorModelName") {
            call("DescribeDetectorModel", #"{"detectorModelName":""# + model + #""}"#)
            call("ListDetectorModelVersions", #"{"detectorModelName":""# + model + #""}"#)
            let listed = call("ListDetectors", #"{"detectorModelName":""# + model + #""}"#)
            for key in strings(listed, "detectorSummaries", "keyValue").prefix(8) {
                call("DescribeDetector", #"{"detectorModelName":""# + model + #"","keyValue":""# + escaped(key) + #""}"#)
            }
        }
        for model in strings(call("ListAlarmModels", "{}"), "alarmModelSummaries", "alarmModelName") {
            call("DescribeAlarmModel", #"{"alarmModelName":""# + model + #""}"#)
            let listed = call("ListAlarms", #"{"alarmModelName":""# + model + #""}"#)
            for key in strings(listed, "alarmSummaries", "keyValue").prefix(8) {
                call("DescribeAlarm", #"{"alarmModelName":""# + model + #"","keyValue":""# + escaped(key) + #""}"#)
            }
        }
        let da = memory.nextDeadline(), db = durable.nextDeadline()
        if da != db { fail("next deadline: \(da) vs \(db)") }
    }
}

private func escaped(_ s: String) -> String {
    guard let value = json_string(s) else { return s }
    defer { ie_json_decref(value) }
    guard let text = json_dumps(value, ie_json_dump_flags(17) | ie_json_encode_any_flag()) else { return s }
    defer { free(text) }
    return String(String(cString: text).dropFirst().dropLast())
}

private func pick<T>(_ items: [T], _ word: String) -> T? {
    guard !items.isEmpty else { return nil }
    let n = Int(word.utf8.reduce(0) { ($0 &* 10 &+ Int($1 & 0x0F)) & 0xFFFF_FFFF })
    return items[n % items.count]
}

private func runLine(_ line: Substring, _ twins: Twins) {
    let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
    guard let command = words.first else { return }
    switch command {
    case "call", "named", "call-no-response":
        guard words.count >= 2 else { return }
        var op = words[1]
        if command == "named" { op = op.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined() }
        twins.call(op, words.count == 3 ? words[2] : nil)
    case "put":
        guard words.count == 3 else { return }
        twins.puts += 1
        twins.call("BatchPutMessage", putRequest(words[1], words[2], id: twins.puts))
    case "tick":
        guard words.count >= 2 else { return twins.tick(-1) }
        let arg = words[1]
        if arg == "max" { return twins.tick(Int64.max) }
        if arg.hasPrefix("+"), let seconds = Int64(arg.dropFirst()) {
            let now = twins.memory.nextDeadline()  // any instant the engines agree on is fine
            _ = now
            let base = lastTick
            let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
            let (at, overflow2) = base.addingReportingOverflow(ms)
            lastTick = overflow || overflow2 ? Int64.max : at
            return twins.tick(lastTick)
        }
        if let ms = Int64(arg) {
            if ms > lastTick { lastTick = ms }
            twins.tick(ms)
        }
    case "model":
        guard words.count >= 2, let model = pick(corpus, words[1]) else { return }
        twins.call(model.op, model.text)
    case "update":
        guard words.count == 3, let model = pick(detectorModels, words[1]) else { return }
        let rest = words[2].split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let key = escaped(rest.first ?? "k")
        let value = rest.count > 1 ? escaped(rest[1]) : "0"
        let seconds = rest.count > 2 ? (Int64(rest[2]).map { String($0) } ?? "60") : "60"
        let variables = model.variables.map { #"{"name":""# + $0 + #"","value":""# + value + #""}"# }.joined(separator: ",")
        let timers = model.timers.map { #"{"name":""# + $0 + #"","seconds":"# + seconds + "}" }.joined(separator: ",")
        let state = model.states.first ?? "S"
        twins.requests += 1
        twins.call("BatchUpdateDetector", #"{"detectors":[{"messageId":"u"# + String(twins.requests) + #"","detectorModelName":""# + model.name
            + #"","keyValue":""# + key + #"","state":{"stateName":""# + state + #"","variables":["# + variables + #"],"timers":["# + timers + "]}}]}")
    case "alarm":
        guard words.count == 3 else { return }
        let rest = words[2].split(separator: " ", maxSplits: 1).map(String.init)
        guard let model = pick(alarmModels, rest.first ?? "0") else { return }
        let key = escaped(rest.count > 1 ? rest[1] : "k")
        let (op, member, extra): (String, String, String)
        switch words[1] {
        case "ack": (op, member, extra) = ("BatchAcknowledgeAlarm", "acknowledgeActionRequests", "")
        case "disable": (op, member, extra) = ("BatchDisableAlarm", "disableActionRequests", "")
        case "enable": (op, member, extra) = ("BatchEnableAlarm", "enableActionRequests", "")
        case "snooze": (op, member, extra) = ("BatchSnoozeAlarm", "snoozeActionRequests", #","snoozeDuration":3600"#)
        default: (op, member, extra) = ("BatchResetAlarm", "resetActionRequests", "")
        }
        twins.requests += 1
        twins.call(op, #"{""# + member + #"":[{"requestId":"r"# + String(twins.requests) + #"","alarmModelName":""# + model.name
            + #"","keyValue":""# + key + #"""# + extra + "}]}")
    case "reopen", "close": twins.reopen()
    case "check": twins.check()
    default: return
    }
}

/// The configuration the durable engine (re)opens with.
nonisolated(unsafe) private var durableOpen = ""

/// A script's first `open` line as the two engines' configurations: its limits and alarm settings,
/// always the manual clock (no timer thread), the durable one on the scratch directory.
private func configurationsFrom(_ text: String) -> (memory: String, durable: String)? {
    var error = json_error_t()
    guard let root = json_loads(text, ie_json_load_flags(1), &error) else { return nil }
    defer { ie_json_decref(root) }
    guard ie_json_is_object(root) != 0 else { return nil }
    for key in ["clock", "timerThread", "stateDirectory", "durability", "groupCommitMillis", "snapshotLogBytes"] { json_object_del(root, key) }
    _ = ie_json_object_set_new(root, "clock", json_string("manual"))
    if let start = json_object_get(root, "startTimeMillis"), ie_json_is_integer(start) != 0 {
        lastTick = json_integer_value(start)
    } else {
        _ = ie_json_object_set_new(root, "startTimeMillis", json_integer(fuzzStartMillis))
    }
    guard let memory = json_dumps(root, ie_json_dump_flags(17)) else { return nil }
    defer { free(memory) }
    _ = ie_json_object_set_new(root, "stateDirectory", json_string(directory))
    guard let durable = json_dumps(root, ie_json_dump_flags(17)) else { return nil }
    defer { free(durable) }
    return (String(cString: memory), String(cString: durable))
}

/// IOTEVENTS_FUZZ_VERBOSE=1: print every call and its answer (to read a reproducer).
private let verbose = getenv("IOTEVENTS_FUZZ_VERBOSE") != nil

/// The latest instant a tick moved the clocks to (for `tick +SECONDS`).
nonisolated(unsafe) private var lastTick: Int64 = fuzzStartMillis

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStateful(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    clearDirectory(directory)
    lastTick = fuzzStartMillis
    var configurations = (memory: memoryConfiguration, durable: durableConfiguration)
    if text.hasPrefix("open "), let line = text.split(separator: "\n").first, let chosen = configurationsFrom(String(line.dropFirst(5))) {
        configurations = chosen
    }
    var (memory, _) = openService(configurations.memory)
    var (durable, _) = openService(configurations.durable)
    if memory == nil || durable == nil {
        // A configuration only one of them (or neither) accepts: the default one for both.
        if memory != nil || durable != nil {
            fatalError("one engine opened and the other did not: \(configurations.memory) / \(configurations.durable)")
        }
        lastTick = fuzzStartMillis
        configurations = (memoryConfiguration, durableConfiguration)
        memory = openService(memoryConfiguration).0
        durable = openService(durableConfiguration).0
    }
    guard let memory, let durable else { fatalError("cannot open the engines") }
    durableOpen = configurations.durable
    let twins = Twins(memory: memory, durable: durable)
    for line in text.split(separator: "\n").prefix(300) where !line.hasPrefix("#") {
        twins.script.append(String(line.prefix(200)))
        runLine(line, twins)
    }
    twins.reopen()
    twins.check()
    twins.memory.close()
    twins.durable.close()
    return 0
}
