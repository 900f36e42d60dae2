import IoTEventsAPI
import IoTEventsCore
import CLibcShim

// The C ABI of include/iotevents.h (its contracts are stated there, not repeated here).

@_cdecl("iotevents_version_number")
public func iotevents_version_number() -> Int32 {
    Int32(LibraryVersion.major * 1_000_000 + LibraryVersion.minor * 1_000 + LibraryVersion.patch)
}

@_cdecl("iotevents_version_string")
public func iotevents_version_string() -> UnsafePointer<CChar> {
    UnsafeRawPointer(LibraryVersion.text.utf8Start).assumingMemoryBound(to: CChar.self)
}

@_cdecl("iotevents_open")
public func iotevents_open(
    _ config: UnsafePointer<CChar>?, _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> OpaquePointer? {
    errorOut?.pointee = nil
    let service: Service
    do throws(ServiceError) {
        service = try Service.open(configuration: config)
    } catch {
        errorOut?.pointee = Service.errorText(error)
        return nil
    }
    guard let lock = ie_mutex_create() else {
        service.close()
        errorOut?.pointee = Service.errorText(ServiceError(.internalFailure, "Out of memory opening the engine"))
        return nil
    }
    let handle = EngineHandle(service: service, lock: lock)
    if service.configuration.timerThread, !handle.startTimerThread() {
        service.close()
        errorOut?.pointee = Service.errorText(ServiceError(.internalFailure, "Could not start the timer thread"))
        return nil
    }
    return OpaquePointer(Unmanaged.passRetained(handle).toOpaque())
}

@_cdecl("iotevents_close")
public func iotevents_close(_ engine: OpaquePointer?) {
    guard let engine else { return }
    let handle = Unmanaged<EngineHandle>.fromOpaque(UnsafeRawPointer(engine))
    handle.takeUnretainedValue().stopTimerThread()
    handle.takeUnretainedValue().service.close()
    handle.release()
}

@_cdecl("iotevents_call")
public func iotevents_call(
    _ engine: OpaquePointer?, _ operation: UnsafePointer<CChar>?, _ request: UnsafePointer<CChar>?,
    _ response: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    EngineHandle.call(engine, nil, operation, request, response)
}

@_cdecl("iotevents_tick")
public func iotevents_tick(_ engine: OpaquePointer?, _ nowMillis: Int64) -> Int64 {
    guard let handle = EngineHandle.from(engine) else { return -Int64(ServiceError.Kind.invalidRequest.rawValue) }
    handle.releaseTimerThread()
    var result = handle.service.tick(nowMillis)
    handle.deliverLogs(result.traces)
    handle.deliver(&result.actions, confirming: result.delivery)
    return result.count
}

@_cdecl("iotevents_next_deadline")
public func iotevents_next_deadline(_ engine: OpaquePointer?) -> Int64 {
    // Not -IOTEVENTS_INVALID_REQUEST: that is -1, which already means "no pending expiry".
    guard let handle = EngineHandle.from(engine) else { return Int64.min }
    return handle.service.nextDeadline()
}

@_cdecl("iotevents_set_action_handler")
public func iotevents_set_action_handler(
    _ engine: OpaquePointer?, _ fn: (@convention(c) (UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void)?,
    _ payload: UnsafeMutableRawPointer?
) {
    EngineHandle.from(engine)?.setHandler(fn, payload)
}

@_cdecl("iotevents_set_log_handler")
public func iotevents_set_log_handler(
    _ engine: OpaquePointer?, _ fn: (@convention(c) (UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void)?,
    _ payload: UnsafeMutableRawPointer?
) {
    EngineHandle.from(engine)?.setLogHandler(fn, payload)
}

@_cdecl("iotevents_counters")
public func iotevents_counters(
    _ engine: OpaquePointer?, _ countersOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    let text: String
    let status: Int32
    if let handle = EngineHandle.from(engine) {
        text = handle.service.counters()
        status = 0
    } else {
        let error = ServiceError.invalidRequest("The engine is NULL")
        guard let countersOut else { return error.kind.rawValue }
        countersOut.pointee = Service.errorText(error)
        return error.kind.rawValue
    }
    guard let countersOut else { return status }
    guard let copy = text.withCString({ strdup($0) }) else {
        let error = ServiceError(.internalFailure, "Out of memory writing the counters")
        countersOut.pointee = Service.errorText(error)
        return error.kind.rawValue
    }
    countersOut.pointee = copy
    return status
}

@_cdecl("iotevents_free")
public func iotevents_free(_ pointer: UnsafeMutableRawPointer?) {
    free(pointer)
}

@_cdecl("iotevents_strerror")
public func iotevents_strerror(_ status: Int32) -> UnsafePointer<CChar> {
    let text: StaticString
    if status == 0 {
        text = "OK"
    } else if let kind = ServiceError.Kind(rawValue: status) {
        text = kind.statusText
    } else {
        text = "unknown iotevents status code"
    }
    return UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}

@_cdecl("iotevents_snapshot")
public func iotevents_snapshot(
    _ engine: OpaquePointer?, _ snapshotOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    guard let handle = EngineHandle.from(engine) else {
        return EngineHandle.fail(.invalidRequest("The engine is NULL"), snapshotOut)
    }
    let text = handle.service.snapshotText()
    guard let copy = text.withCString({ strdup($0) }) else {
        return EngineHandle.fail(ServiceError(.internalFailure, "Out of memory writing the snapshot"), snapshotOut)
    }
    if let snapshotOut { snapshotOut.pointee = copy } else { free(copy) }
    return 0
}

@_cdecl("iotevents_restore")
public func iotevents_restore(
    _ engine: OpaquePointer?, _ snapshot: UnsafePointer<CChar>?,
    _ errorOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    errorOut?.pointee = nil
    guard let handle = EngineHandle.from(engine) else {
        return EngineHandle.fail(.invalidRequest("The engine is NULL"), errorOut)
    }
    do throws(ServiceError) {
        try handle.service.restore(snapshot)
    } catch {
        return EngineHandle.fail(error, errorOut)
    }
    // The earliest deadline is now the snapshot's.
    handle.notifyTimerThread()
    return 0
}
