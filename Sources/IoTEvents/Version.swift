/// The library's version; include/iotevents.h repeats it as IOTEVENTS_VERSION_* (a test checks
/// that the two agree).
enum LibraryVersion {
    static let major = 0
    static let minor = 1
    static let patch = 0
    static let text: StaticString = "0.1.0"
}
