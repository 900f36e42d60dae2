import CJanssonShim
import CLibcShim
import IoTEventsCore

/// The outcome of one API call: an ABI status and a malloc'd JSON document (the response body on
/// success, an error document otherwise) that the receiver frees with `free`.
public struct CallResult {
    public let status: Int32
    public let body: UnsafeMutablePointer<CChar>?
    /// The action documents the call produced, in execution order, for the host's handler
    /// (delivered by the caller after the engine lock is released).
    public var actions: [String] = []
}

/// One engine behind its lock: turns request documents into core calls and core results into
/// response documents.
///
/// Parsing and validation happen outside the lock; only the core call and the encoding of its
/// result hold it, so threads sharing an engine contend only for the part that needs it.
public final class Service {
    let engine: Engine
    public var configuration: EngineConfiguration { engine.configuration }
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// Opens an engine from a configuration document (NULL means all defaults).
    ///
    /// Everything that can fail happens before the object exists: in Embedded Swift a class
    /// initializer that throws leaks its allocation.
    public static func open(configuration text: UnsafePointer<CChar>?) throws(ServiceError) -> Service {
        let configuration = try ConfigurationDecoder.decode(text)
        guard let mutex = ie_mutex_create() else {
            throw ServiceError(.internalFailure, "Out of memory creating the engine lock")
        }
        return Service(engine: Engine(configuration: configuration), mutex: mutex)
    }

    private init(engine: Engine, mutex: UnsafeMutablePointer<pthread_mutex_t>) {
        self.engine = engine
        self.mutex = mutex
    }

    deinit { ie_mutex_destroy(mutex) }

    /// Runs the operation named `operation` (an AWS operation name) on `request`.
    public func call(_ operation: UnsafePointer<CChar>?, _ request: UnsafePointer<CChar>?) -> CallResult {
        guard let operation else { return Service.failure(.invalidRequest("The operation name is NULL")) }
        guard let op = Operation(name: operation) else {
            return Service.failure(ServiceError(.unsupportedOperation, "Unknown operation '\(String(cString: operation))'"))
        }
        return call(op, request)
    }

    public func call(_ op: Operation, _ request: UnsafePointer<CChar>?) -> CallResult {
        var output = RunOutput()
        var result: CallResult
        do throws(ServiceError) {
            let body = try run(op, request, &output)
            if let text = JSONText.dump(body) {
                result = CallResult(status: 0, body: text)
            } else {
                result = Service.failure(ServiceError(.internalFailure, "Out of memory writing the response"))
            }
            ie_json_decref(body)
        } catch {
            result = Service.failure(error)
        }
        result.actions = Service.documents(output)
        return result
    }

    /// The action documents of everything `output` recorded.
    static func documents(_ output: RunOutput) -> [String] {
        var documents: [String] = []
        documents.reserveCapacity(output.actions.count)
        for record in output.actions {
            if let text = ActionDocument.text(record) { documents.append(text) }
        }
        return documents
    }

    private func run(_ op: Operation, _ request: UnsafePointer<CChar>?, _ output: inout RunOutput) throws(ServiceError) -> UnsafeMutablePointer<json_t> {
        if let reason = op.unsupportedReason {
            throw ServiceError(.unsupportedOperation, "\(op.nameString) is not supported by this version of libiotevents: \(reason)")
        }
        guard let request else { throw .invalidRequest("The request document is NULL") }
        let limits = engine.limits
        let length = strnlen_bounded(request, limits.maxRequestBytes)
        if length > limits.maxRequestBytes {
            throw .invalidRequest("The request is larger than \(limits.maxRequestBytes) bytes (limit maxRequestBytes)")
        }
        let document = try JSONDocument.parse(request, length: length, maxDepth: limits.maxJsonDepth, what: "The request")
        try SchemaValidator.validate(document.root, shape: op.requestShape)
        lock()
        defer { unlock() }
        return try Handlers.run(op, document.root, engine, &output)
    }

    /// Moves the clock to `nowMillis` (negative: the system clock's now; with the manual clock,
    /// "now" stays where it is) and processes every expiry due by then. Returns how many, and
    /// the action documents they produced.
    public func tick(_ nowMillis: Int64) -> (count: Int64, actions: [String]) {
        var output = RunOutput()
        lock()
        let now = nowMillis >= 0 ? engine.clock.advance(to: nowMillis) : engine.clock.now()
        let count = MessageRunner.fireDueTimers(engine, at: now, &output)
        unlock()
        return (count, Service.documents(output))
    }

    /// Epoch ms of the earliest pending expiry, or -1.
    public func nextDeadline() -> Int64 {
        lock()
        defer { unlock() }
        return engine.nextDeadline() ?? -1
    }

    private func lock() { ie_mutex_lock(mutex) }
    private func unlock() { ie_mutex_unlock(mutex) }

    /// An error result carrying the error document of `error`.
    public static func failure(_ error: ServiceError) -> CallResult {
        CallResult(status: error.kind.rawValue, body: errorText(error))
    }

    /// The error document of `error` as a malloc'd string.
    public static func errorText(_ error: ServiceError) -> UnsafeMutablePointer<CChar>? {
        guard let document = ErrorDocument.make(error) else { return nil }
        defer { ie_json_decref(document) }
        return JSONText.dump(document)
    }
}
