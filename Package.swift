// swift-tools-version: 6.0
//
// libiotevents: an embeddable runtime for AWS IoT Events models.
//
// Layers, one target each (see docs/conventions.md):
//   IoTEvents      the C ABI (@_cdecl entry points, handles, status codes); no logic
//   IoTEventsAPI   JSON (jansson) <-> typed requests/responses, validation against the service model
//   IoTEventsCore  inputs, models, expressions, detectors, alarms, timers; never sees json_t
//   CJanssonShim   jansson for Swift (macros as inline functions)
//   CLibcShim      the libc this library uses, in both build profiles
//
// jansson comes from the Makefile: by default a private, hidden-visibility static build in
// .build-deps/jansson (IOTEVENTS_JANSSON_DIR overrides); IOTEVENTS_JANSSON=system links the
// system's shared libjansson instead. Always build through `make` unless you know these.
import PackageDescription

let environment = Context.environment
let useSystemJansson = environment["IOTEVENTS_JANSSON"] == "system"
let janssonDir = environment["IOTEVENTS_JANSSON_DIR"] ?? (Context.packageDirectory + "/.build-deps/jansson")
// The SONAME major version; the Makefile's SOVERSION must agree.
let soVersion = "0"

let janssonCFlags: [String] = useSystemJansson ? [] : ["-I", janssonDir + "/include"]
// Swift modules that (transitively) import CJanssonShim need jansson.h on the clang importer's path.
let janssonSwiftSettings: [SwiftSetting] = useSystemJansson ? [] : [.unsafeFlags(["-Xcc", "-I" + janssonDir + "/include"])]
let janssonLink: [LinkerSetting] = useSystemJansson
    ? [.linkedLibrary("jansson")]
    : [.unsafeFlags(["-L", janssonDir + "/lib", "-l:libjansson.a"])]

// The small profile: the same sources in Embedded Swift mode (docs/building.md). One section per
// function, or --gc-sections can drop nothing of the Swift objects (2.0 MB instead of 0.87 MB).
let small = environment["IOTEVENTS_PROFILE"] == "small"
// -fno-asynchronous-unwind-tables: the C inline functions the shims' headers bring into a Swift
// file (ie_json_decref ...) were compiled with clang's default uwtable, and one such function
// moves the call-frame information of every function of that file from .debug_frame (stripped)
// to .eh_frame (kept): 49 KB of the small library for files such as EntryPoints.swift. Embedded
// Swift never unwinds, and its other files had no .eh_frame already. (No effect on the standard
// profile, whose Swift objects have .eh_frame whatever the flag.)
// The standard profile's release build checks exclusivity statically only, as Embedded Swift
// (the small profile) always does: the dynamic checks cost ~1 300 instructions per message
// (30 accesses of class properties each), and a violation would trap the host's process; debug
// builds (swift test, the ThreadSanitizer build) keep them (docs/decisions.md).
// The small profile passes the flag too: Embedded Swift's swift_beginAccess does nothing, but
// every dynamic access still called it (484 calls, 9 KB).
// Not LLVM's machine outliner: 11.6 KB of the small library, but +1 % instructions on model
// creation, which took the small profile past 1.10x the standard one there (docs/decisions.md).
let profileSwiftSettings: [SwiftSetting] = small
    ? [.enableExperimentalFeature("Embedded"), .unsafeFlags(["-wmo", "-Osize", "-Xfrontend", "-function-sections", "-Xcc", "-fno-asynchronous-unwind-tables", "-enforce-exclusivity=unchecked"])]
    : [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

// The shipped shared library: Swift runtime, libstdc++ and libgcc linked in; only iotevents_* exported.
let sharedLibraryFlags: [String] = (small ? [
    Context.packageDirectory + "/.build-deps/embedded/libswiftUnicodeDataTables.a", "-lm",
    // Identical code folding: Embedded Swift emits one section per function (above), and many
    // specializations compile to the same bytes (42 KB of 1.28 MB). Nothing in the small profile
    // compares function addresses (no runtime metadata; jansson and the shims do not). Not in the
    // standard profile, whose C++ runtime and libstdc++ may, and --icf=safe saves 12 KB there.
    "-Xlinker", "--icf=all",
] : [
    "-static-stdlib",
    // The Unicode name tables (553 KB) stay out: Sources/CLibcShim/unicode_names.c says why.
    "-Xlinker", "--wrap=_swift_stdlib_getScalarName",
]) + [
    "-use-ld=lld",
    "-Xlinker", "-soname=libiotevents.so.\(soVersion)",
    "-Xlinker", "--version-script=\(Context.packageDirectory)/Sources/IoTEvents/exports.map",
    "-Xlinker", "-z", "-Xlinker", "defs",
    // Never unloaded: dlclose of a Swift runtime leaks its caches and libstdc++'s exception pool
    // (~76 KB a cycle); a host that loads and unloads the library repeatedly stays flat.
    "-Xlinker", "-z", "-Xlinker", "nodelete",
    "-Xlinker", "--gc-sections",
    // Not -z pack-relative-relocs (DT_RELR, 30 KB of the small library, 430 KB of the standard):
    // it needs glibc 2.36's loader, above the 2.34 and 2.35 floors (make check-libc-floor).
    "-L", Context.packageDirectory + "/.build-deps/libstdcxx",
    "-Xclang-linker", "-static-libgcc",
]

let package = Package(
    name: "libiotevents",
    products: [
        .library(name: "iotevents", type: .dynamic, targets: ["IoTEvents"]),
    ],
    targets: [
        // DWARF 4: valgrind 3.19 (Debian 12) cannot read clang's default DWARF 5 in these units.
        .target(name: "CLibcShim", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        .target(
            name: "CJanssonShim",
            exclude: ["build-jansson.sh"],
            cSettings: [.unsafeFlags(janssonCFlags)],
            linkerSettings: janssonLink
        ),
        .target(
            name: "IoTEventsCore",
            dependencies: ["CLibcShim"],
            exclude: ["Expressions/README.md"],
            swiftSettings: profileSwiftSettings
        ),
        .target(
            name: "IoTEventsAPI",
            dependencies: ["IoTEventsCore", "CJanssonShim", "CLibcShim"],
            exclude: ["ServiceModel/operations.txt"],
            swiftSettings: janssonSwiftSettings + profileSwiftSettings
        ),
        .target(
            name: "IoTEvents",
            dependencies: ["IoTEventsAPI", "IoTEventsCore", "CLibcShim"],
            exclude: ["exports.map"],
            swiftSettings: janssonSwiftSettings + profileSwiftSettings,
            linkerSettings: [.unsafeFlags(sharedLibraryFlags, .when(configuration: .release))]
        ),
        // Benchmarks (make bench), never part of the library.
        .executableTarget(name: "expression-bench", dependencies: ["IoTEventsCore"], path: "Tests/bench/ExpressionBench"),
        // Test-only: counts the calling thread's heap allocations (wraps glibc's malloc family).
        .target(name: "CAllocationCounter", path: "Tests/CAllocationCounter"),
        .testTarget(name: "IoTEventsCoreTests", dependencies: ["IoTEventsCore", "CAllocationCounter"]),
        .testTarget(name: "IoTEventsAPITests", dependencies: ["IoTEventsAPI", "CLibcShim"], swiftSettings: janssonSwiftSettings),
    ]
)
