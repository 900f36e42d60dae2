import IoTEventsAPI
import IoTEventsCore
import CLibcShim

/// What an `iotevents_engine *` points at: the engine and the host's action handler.
///
/// The handle is a retained Swift object passed to C as an opaque pointer. This layer has no
/// logic of its own: it checks pointers, forwards to the API layer and copies results out.
final class EngineHandle {
    let service: Service
    private let handlerLock: UnsafeMutablePointer<pthread_mutex_t>
    private var handler: (@convention(c) (UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void)?
    private var handlerPayload: UnsafeMutableRawPointer?

    init(service: Service, lock: UnsafeMutablePointer<pthread_mutex_t>) {
        self.service = service
        self.handlerLock = lock
    }

    deinit { ie_mutex_destroy(handlerLock) }

    static func from(_ pointer: OpaquePointer?) -> EngineHandle? {
        guard let pointer else { return nil }
        return Unmanaged<EngineHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    func setHandler(_ fn: (@convention(c) (UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void)?, _ payload: UnsafeMutableRawPointer?) {
        ie_mutex_lock(handlerLock)
        handler = fn
        handlerPayload = fn == nil ? nil : payload
        ie_mutex_unlock(handlerLock)
    }

    /// The shared body of `iotevents_call` and every named entry point.
    static func call(
        _ engine: OpaquePointer?, _ operation: Operation, _ request: UnsafePointer<CChar>?,
        _ response: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> Int32 {
        call(engine, operation, nil, request, response)
    }

    static func call(
        _ engine: OpaquePointer?, _ operation: Operation?, _ name: UnsafePointer<CChar>?,
        _ request: UnsafePointer<CChar>?, _ response: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> Int32 {
        let result: CallResult
        if let handle = from(engine) {
            if let operation {
                result = handle.service.call(operation, request)
            } else {
                result = handle.service.call(name, request)
            }
        } else {
            result = Service.failure(.invalidRequest("The engine is NULL"))
        }
        if let handle = from(engine) { handle.deliver(result.actions) }
        if let response {
            response.pointee = result.body
        } else {
            free(result.body)
        }
        return result.status
    }

    /// Hands each action document to the host's handler, in order, on this thread. The engine
    /// lock is not held, so a handler may call back into the engine; the handler is read once
    /// per document, so replacing it takes effect for the next one.
    func deliver(_ actions: [String]) {
        for document in actions {
            ie_mutex_lock(handlerLock)
            let fn = handler
            let payload = handlerPayload
            ie_mutex_unlock(handlerLock)
            guard let fn else { continue }
            document.withCString { fn($0, payload) }
        }
    }
}
