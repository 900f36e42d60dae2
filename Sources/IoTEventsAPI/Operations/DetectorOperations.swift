import CJanssonShim
import CLibcShim
import IoTEventsCore

/// BatchPutMessage, BatchUpdateDetector, BatchDeleteDetector, DescribeDetector, ListDetectors.
///
/// Batches first validate the whole request (any violation: InvalidRequestException, nothing
/// applied), then process entries in order, each either applied or reported as an error entry
/// (docs/behaviour.md §6.0).
enum DetectorOperations {
    /// `text`: the request as sent, where an object payload's size is read (`JSONMemberSpans`).
    static func batchPutMessage(_ request: JSONValue, text: UnsafeBufferPointer<UInt8>, _ engine: Engine, _ output: inout RunOutput) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let messages = request["messages"]?.elements ?? []
        let limits = engine.limits
        if messages.count > limits.maxMessagesPerBatch {
            throw .invalidRequest("messages: \(messages.count) messages; at most \(limits.maxMessagesPerBatch) per call (limit maxMessagesPerBatch)")
        }
        var members: [BatchMessageMembers] = []
        members.reserveCapacity(messages.count)
        for m in messages { members.append(BatchMessageMembers(m)) }
        var ids: [JSONValue?] = []
        ids.reserveCapacity(messages.count)
        for m in members { ids.append(m.messageId) }
        try checkUniqueIds(ids, member: "messages", idMember: "messageId")
        var decoded: [(payload: MessagePayload?, problem: String?)] = []
        decoded.reserveCapacity(messages.count)
        var total = 0
        var spans: [Range<Int>?]? = nil  // found once, when the first object payload needs them
        for (i, m) in members.enumerated() {
            guard let member = m.payload else { throw .invalidRequest("Missing required member 'messages[\(i)].payload'") }
            var sentBytes: Int? = nil
            if member.isObject {
                if spans == nil { spans = JSONMemberSpans.of(text, array: "messages", member: "payload") }
                if let all = spans, i < all.count, let span = all[i] { sentBytes = span.count }
            }
            let result = MessagePayload.decode(member, sentBytes: sentBytes, maxBytes: limits.maxPayloadBytes, maxDepth: limits.maxJsonDepth)
            switch result.failure {
            case .tooLarge(let n)?:
                throw .invalidRequest("messages[\(i)].payload: \(n) bytes; at most \(limits.maxPayloadBytes) per message (limit maxPayloadBytes)")
            case .malformed(let why)?: decoded.append((nil, why))
            case nil: decoded.append((result.payload, nil))
            }
            total += result.bytes
        }
        if limits.maxBatchPayloadBytes > 0, total > limits.maxBatchPayloadBytes {
            throw .invalidRequest("messages: the payloads total \(total) bytes; at most \(limits.maxBatchPayloadBytes) per call (limit maxBatchPayloadBytes)")
        }
        var entries = JSONArray()
        for (i, m) in members.enumerated() {
            let id = m.messageId?.string ?? ""
            guard let payload = decoded[i].payload else {
                // The expiries due by now still run where this message would have.
                _ = engine.process(.expiries(upTo: engine.clock.now()), parser: JanssonPayloadParser(), output: &output)
                entries.append(object: errorEntry("messageId", id, .invalidRequest("messages[\(i)].payload: \(decoded[i].problem ?? "unreadable")")))
                continue
            }
            let message = IncomingMessage(
                inputName: m.inputName?.string ?? "", messageId: id,
                timestamp: m.timestamp?["timeInMillis"]?.integer, depth: 0)
            let outcome = engine.processMessage(message, PayloadSource(payload: payload), parser: JanssonPayloadParser(), output: &output)
            if let error = outcome.errors.first {
                entries.append(object: errorEntry("messageId", id, error))
            }
        }
        var body = JSONObject()
        body.set("BatchPutMessageErrorEntries", array: entries)
        return body.take()
    }

    static func batchUpdateDetector(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let detectors = request["detectors"]?.elements ?? []
        try checkUniqueIds(detectors, member: "detectors", idMember: "messageId")
        let limits = engine.limits
        var updates: [Engine.DetectorUpdate] = []
        for (i, d) in detectors.enumerated() {
            let state = d["state"]
            let variables = state?["variables"]?.elements ?? []
            if variables.count > limits.maxVariablesPerUpdate {
                throw .invalidRequest("detectors[\(i)].state.variables: \(variables.count) variables; at most \(limits.maxVariablesPerUpdate) per detector (limit maxVariablesPerUpdate)")
            }
            var timers: [(name: String, seconds: Int64)] = []
            for t in state?["timers"]?.elements ?? [] {
                timers.append((t["name"]?.string ?? "", t["seconds"]?.integer ?? 0))
            }
            updates.append(Engine.DetectorUpdate(
                modelName: d["detectorModelName"]?.string ?? "", keyValue: d["keyValue"]?.string,
                stateName: state?["stateName"]?.string ?? "",
                variables: variables.map { ($0["name"]?.string ?? "", $0["value"]?.string ?? "") },
                timers: timers))
        }
        var entries = JSONArray()
        for (i, update) in updates.enumerated() {
            if let error = engine.updateDetector(update) {
                entries.append(object: errorEntry("messageId", detectors[i]["messageId"]?.string ?? "", error))
            }
        }
        var body = JSONObject()
        body.set("batchUpdateDetectorErrorEntries", array: entries)
        return body.take()
    }

    static func batchDeleteDetector(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let detectors = request["detectors"]?.elements ?? []
        try checkUniqueIds(detectors, member: "detectors", idMember: "messageId")
        var entries = JSONArray()
        for d in detectors {
            if let error = engine.deleteDetector(model: d["detectorModelName"]?.string ?? "", keyValue: d["keyValue"]?.string) {
                entries.append(object: errorEntry("messageId", d["messageId"]?.string ?? "", error))
            }
        }
        var body = JSONObject()
        body.set("batchDeleteDetectorErrorEntries", array: entries)
        return body.take()
    }

    static func describe(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let found = try engine.describeDetector(model: request["detectorModelName"]?.string ?? "", keyValue: request["keyValue"]?.string)
        let version = found.version
        let d = found.detector
        var variables = JSONArray()
        for (slot, value) in d.variables.enumerated() {
            guard let text = value.literalText else { continue }
            var v = JSONObject()
            v.set("name", version.variableNames[slot])
            v.set("value", text)
            variables.append(object: v)
        }
        var timers = JSONArray()
        for (id, timer) in d.timers.enumerated() {
            guard let deadline = timer.deadline else { continue }
            var t = JSONObject()
            t.set("name", version.timerNames[id])
            t.set("timestamp", time: deadline)
            timers.append(object: t)
        }
        var state = JSONObject()
        state.set("stateName", version.compiled.states[d.state].name)
        state.set("variables", array: variables)
        state.set("timers", array: timers)
        var body = JSONObject()
        body.set("detector", object: summary(found.model, version, d, state: state))
        return body.take()
    }

    static func list(_ request: JSONValue, _ engine: Engine) throws(ServiceError) -> UnsafeMutablePointer<json_t>? {
        let page = try engine.listDetectors(
            model: request["detectorModelName"]?.string ?? "", stateName: request["stateName"]?.string,
            nextToken: request["nextToken"]?.string, maxResults: Pagination.maxResults(request))
        let version = page.model.latest
        var summaries = JSONArray()
        for d in page.detectors {
            var state = JSONObject()
            state.set("stateName", version.compiled.states[d.state].name)
            summaries.append(object: summary(page.model, version, d, state: state))
        }
        var body = JSONObject()
        body.set("detectorSummaries", array: summaries)
        body.set("nextToken", page.nextToken)
        return body.take()
    }

    /// The members a Detector and a DetectorSummary share, with the given `state` object.
    private static func summary(_ model: DetectorModel, _ version: DetectorModelVersion, _ d: Detector, state: consuming JSONObject) -> JSONObject {
        var o = JSONObject()
        o.set("detectorModelName", model.name)
        o.set("keyValue", d.keyValue)
        o.set("detectorModelVersion", version.versionText)
        o.set("state", object: state)
        o.set("creationTime", time: d.creationTime)
        o.set("lastUpdateTime", time: d.lastUpdateTime)
        return o
    }

    /// `{<idMember>: id, errorCode, errorMessage}`.
    static func errorEntry(_ idMember: String, _ id: String, _ error: ServiceError) -> JSONObject {
        var o = JSONObject()
        o.set(idMember, id)
        o.set("errorCode", error.kind.typeName)
        o.set("errorMessage", error.message)
        return o
    }

    /// Ids must be unique within one batch (§6.0): a repeat is a whole-request error.
    static func checkUniqueIds(_ entries: [JSONValue], member: String, idMember: String) throws(ServiceError) {
        var ids: [JSONValue?] = []
        ids.reserveCapacity(entries.count)
        for e in entries { ids.append(e[idMember]) }
        try checkUniqueIds(ids, member: member, idMember: idMember)
    }

    /// `ids[i]` is entry i's id (validated: a string).
    static func checkUniqueIds(_ ids: [JSONValue?], member: String, idMember: String) throws(ServiceError) {
        func repeated(_ i: Int, _ id: String) -> ServiceError {
            .invalidRequest("\(member)[\(i)].\(idMember): \(id) appears more than once in this request")
        }
        // A batch of a few entries (ten, by default) compares the ids pairwise where jansson
        // holds them, with no String and no hashing; a long one hashes Strings. Each id's length
        // and last eight bytes are read once, and only a pair agreeing on both is compared whole.
        if ids.count <= 16 {
            var spans: [StringSpan] = []
            spans.reserveCapacity(ids.count)
            for id in ids { spans.append(StringSpan(id)) }
            for i in 1..<max(ids.count, 1) {
                for j in 0..<i where spans[i].equals(spans[j]) { throw repeated(i, ids[i]?.string ?? "") }
            }
            return
        }
        var seen = NameSet()
        for (i, id) in ids.enumerated() {
            let text = id?.string ?? ""
            if !seen.insert(text) { throw repeated(i, text) }
        }
    }
}

/// A string value's bytes where jansson holds them, with its length and last (up to) eight bytes
/// as one word: two spans that differ there differ, without a byte compare. An absent or
/// non-string value reads as "".
private struct StringSpan {
    let bytes: UnsafePointer<CChar>?
    let count: Int
    let tail: UInt64

    init(_ value: JSONValue?) {
        (bytes, count) = value?.stringBytes ?? (nil, 0)
        var word: UInt64 = 0
        if let bytes, count >= 8 {
            word = UnsafeRawPointer(bytes + count - 8).loadUnaligned(as: UInt64.self)
        } else if let bytes {
            for i in 0..<count { word = word << 8 | UInt64(UInt8(bitPattern: bytes[i])) }
        }
        tail = word
    }

    func equals(_ other: StringSpan) -> Bool {
        guard count == other.count, tail == other.tail else { return false }
        guard count > 8, let a = bytes, let b = other.bytes else { return true }
        return memcmp(a, b, count - 8) == 0
    }
}
