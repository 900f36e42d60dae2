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
    /// The host's log handler (`iotevents_set_log_handler`), guarded by `handlerLock` too.
    private var logHandler: (@convention(c) (UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void)?
    private var logHandlerPayload: UnsafeMutableRawPointer?
    /// The optional timer thread (`"timerThread": true`): fires expiries at their deadlines.
    private var timerThread: OpaquePointer?
    /// The timer thread fires nothing until the host first uses the engine after opening it
    /// (sets its action handler, makes a call or a tick): a reopened state directory can hold
    /// expiries already due, and fired at once their actions were lost before the host could
    /// set its handler. Guarded by `handlerLock`.
    private var timerThreadHeld = true
    /// Whether the actions recovered on open (Service.redeliverable) are still to be handed to
    /// the first handler the host sets. Guarded by `handlerLock`.
    private var redeliveryDue = true
    /// Set while they are being handed over: the timer thread then fires nothing, so that they
    /// come before any new action. Guarded by `handlerLock`.
    private var redelivering = false

    init(service: Service, lock: UnsafeMutablePointer<pthread_mutex_t>) {
        self.service = service
        self.handlerLock = lock
    }

    deinit { ie_mutex_destroy(handlerLock) }

    /// Starts the timer thread. It holds its own reference to the handle until it ends, so the
    /// handle outlives a close made from inside one of the thread's own action callbacks.
    func startTimerThread() -> Bool {
        let context = Unmanaged.passRetained(self).toOpaque()
        guard let thread = ie_timer_thread_start(timerThreadBody, context) else {
            Unmanaged<EngineHandle>.fromOpaque(context).release()
            return false
        }
        timerThread = thread
        return true
    }

    /// Stops the timer thread (waiting for it, unless this is that thread). Before a close.
    func stopTimerThread() {
        guard let thread = timerThread else { return }
        timerThread = nil
        ie_timer_thread_stop(thread)
    }

    /// Wakes the timer thread after a call that may have moved the earliest deadline.
    func notifyTimerThread() {
        if let thread = timerThread { ie_timer_thread_notify(thread) }
    }

    /// Lets the timer thread fire (the host's first use of the engine); wakes it the first time.
    func releaseTimerThread() {
        ie_mutex_lock(handlerLock)
        let wasHeld = timerThreadHeld
        timerThreadHeld = false
        ie_mutex_unlock(handlerLock)
        if wasHeld { notifyTimerThread() }
    }

    private var isTimerThreadHeld: Bool {
        ie_mutex_lock(handlerLock)
        defer { ie_mutex_unlock(handlerLock) }
        return timerThreadHeld || redelivering
    }

    /// What the timer thread sleeps until: the earliest deadline, or (-1) until woken while held.
    fileprivate var timerThreadDeadline: Int64 {
        isTimerThreadHeld ? -1 : service.timerThreadDeadline()
    }

    /// One wake-up of the timer thread: fire what is due, deliver its actions on this thread.
    fileprivate func timerThreadStep() {
        if isTimerThreadHeld { return }
        var result = service.tick(-1)
        deliverLogs(result.traces)
        deliver(&result.actions, confirming: result.delivery)
    }

    static func from(_ pointer: OpaquePointer?) -> EngineHandle? {
        guard let pointer else { return nil }
        return Unmanaged<EngineHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    func setHandler(_ fn: (@convention(c) (UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void)?, _ payload: UnsafeMutableRawPointer?) {
        ie_mutex_lock(handlerLock)
        handler = fn
        handlerPayload = fn == nil ? nil : payload
        let redeliverNow = fn != nil && redeliveryDue
        if redeliverNow {
            redeliveryDue = false
            redelivering = true
        }
        ie_mutex_unlock(handlerLock)
        if redeliverNow { redeliver() }
        releaseTimerThread()
    }

    /// Sets or removes the log handler, and tells the engine whether anyone listens: with no
    /// handler it writes no records at all.
    func setLogHandler(_ fn: (@convention(c) (UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void)?, _ payload: UnsafeMutableRawPointer?) {
        ie_mutex_lock(handlerLock)
        logHandler = fn
        logHandlerPayload = fn == nil ? nil : payload
        ie_mutex_unlock(handlerLock)
        service.setHostReceivesLogs(fn != nil)
        releaseTimerThread()
    }

    /// Hands each log record to the host's log handler, in order, on this thread, with the
    /// engine lock not held (as actions are).
    func deliverLogs(_ records: [TraceRecord]) {
        for record in records {
            ie_mutex_lock(handlerLock)
            let fn = logHandler
            let payload = logHandlerPayload
            ie_mutex_unlock(handlerLock)
            guard let fn else { continue }
            record.text.withCString { fn($0, payload) }
        }
    }

    /// Hands the first handler the host sets the actions recovered on open that the handler it
    /// had before the engine was last closed or killed may not have seen (at least once), in
    /// log order, on this thread, each record confirmed once all its actions are handed over.
    private func redeliver() {
        for entry in service.redeliverable() {
            for document in entry.documents { deliver(document) }
            service.confirmDelivered(entry.position)
        }
        ie_mutex_lock(handlerLock)
        redelivering = false
        ie_mutex_unlock(handlerLock)
        notifyTimerThread()
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
        var result: CallResult
        if let handle = from(engine) {
            if let operation {
                result = handle.service.call(operation, request)
            } else {
                result = handle.service.call(name, request)
            }
        } else {
            result = Service.failure(.invalidRequest("The engine is NULL"))
        }
        if let handle = from(engine) {
            handle.releaseTimerThread()
            handle.notifyTimerThread()
            handle.deliverLogs(result.traces)
            handle.deliver(&result.actions, confirming: result.delivery)
        }
        if let response {
            response.pointee = result.body
        } else {
            free(result.body)
        }
        return result.status
    }

    /// Sets `out` (when not NULL) to the error document of `error`; returns its status.
    static func fail(_ error: ServiceError, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
        if let out { out.pointee = Service.errorText(error) }
        return error.kind.rawValue
    }

    /// Hands each action's document to the host's handler, in order, on this thread. The engine
    /// lock is not held, so a handler may call back into the engine; the handler is read once
    /// per action, so replacing it takes effect for the next one, and a document is written only
    /// when there is a handler to receive it. Then, for a logged call or tick, confirms that
    /// they were handed over (with no handler they were dropped, as the host asked).
    /// `actions` is inout, though nothing changes it, so that each record is read where it is
    /// (ActionDocument.Writer says why); it is the call's own array.
    func deliver(_ actions: inout [ActionRecord], confirming position: LogPosition?) {
        actions.withUnsafeMutableBufferPointer { records in
            var document = ActionDocument.Writer()
            for i in records.indices {
                guard let (fn, payload) = currentHandler else { continue }
                document.withCString(&records[i]) { fn($0, payload) }
            }
        }
        if let position { service.confirmDelivered(position) }
    }

    /// Hands one recovered action's document to the host's handler, if there is one.
    private func deliver(_ document: String) {
        guard let (fn, payload) = currentHandler else { return }
        document.withCString { fn($0, payload) }
    }

    private var currentHandler: ((@convention(c) (UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void), UnsafeMutableRawPointer?)? {
        ie_mutex_lock(handlerLock)
        defer { ie_mutex_unlock(handlerLock) }
        guard let fn = handler else { return nil }
        return (fn, handlerPayload)
    }
}

/// The timer thread's loop: sleep until the earliest deadline (or a notification), fire what is
/// due, repeat until stopped.
private func timerThreadBody(_ thread: OpaquePointer?, _ context: UnsafeMutableRawPointer?) {
    guard let thread, let context else { return }
    let handle = Unmanaged<EngineHandle>.fromOpaque(context)
    while ie_timer_thread_wait(thread, handle.takeUnretainedValue().timerThreadDeadline) != 0 {
        handle.takeUnretainedValue().timerThreadStep()
    }
    handle.release()
}
