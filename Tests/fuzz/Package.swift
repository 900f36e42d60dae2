// swift-tools-version: 6.0
//
// The libFuzzer targets (Tests/fuzz/README.md), built by SwiftPM: `make fuzz-build` runs
//   swift build -c release --package-path Tests/fuzz --scratch-path build/fuzz/spm \
//     --sanitize=fuzzer --sanitize=address
// and copies each executable to build/fuzz/fuzz-<name>. Always build through `make` (mk/fuzz.mk):
// it builds the instrumented jansson first and passes its directory in IOTEVENTS_JANSSON_DIR.
//
// One package: Targets/ holds symlinks to the library's own sources (../../../Sources/<module>),
// so IoTEventsCore and IoTEventsAPI are compiled here, instrumented, as targets of this package.
// A package that depended on the root package instead could not see their `package`
// declarations (another package name). Each fuzz target is a folder of symlinks to one file of
// Tests/fuzz plus support.swift; fuzz-snapshot and fuzz-log are the same file with another define.
//
// Sanitizers: `--sanitize=fuzzer` on the command line is what makes SwiftPM link the executables
// without renaming their `main` (libFuzzer's runtime brings `main`; without the flag the link
// fails on `--defsym main=<module>_main`) and link with -fsanitize=address,fuzzer. But the swift
// driver keeps only the last `-sanitize=` of a compile, and SwiftPM passes `-sanitize=address
// -sanitize=fuzzer`: without the setting below the Swift code would get the fuzzer's coverage
// and no ASan checks. The C targets get both through clang.
import PackageDescription

let janssonDir = Context.environment["IOTEVENTS_JANSSON_DIR"]
    ?? (Context.packageDirectory + "/../../build/fuzz/jansson")
let sanitizers: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]
// Swift modules that (transitively) import CJanssonShim need jansson.h on the clang importer's path.
let jansson: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-I" + janssonDir + "/include"])]

/// One fuzz target: Targets/fuzz-<name>/ (symlinks), the executable fuzz-<name>.
func fuzzTarget(_ name: String, dependencies: [Target.Dependency], defines: [String] = []) -> Target {
    .executableTarget(
        name: "fuzz-" + name,
        dependencies: dependencies,
        path: "Targets/fuzz-" + name,
        swiftSettings: sanitizers + jansson + defines.map { .define($0) }
    )
}
let api: [Target.Dependency] = ["IoTEventsAPI", "IoTEventsCore", "CJanssonShim"]
let names = ["expressions", "requests", "config", "snapshot", "log", "stateful"]

let package = Package(
    name: "iotevents-fuzz",
    products: names.map { .executable(name: "fuzz-" + $0, targets: ["fuzz-" + $0]) },
    targets: [
        .target(name: "CLibcShim", path: "Targets/CLibcShim"),
        .target(
            name: "CJanssonShim",
            path: "Targets/CJanssonShim",
            exclude: ["build-jansson.sh"],
            cSettings: [.unsafeFlags(["-I", janssonDir + "/include"])],
            linkerSettings: [.unsafeFlags(["-L", janssonDir + "/lib", "-l:libjansson.a"])]
        ),
        .target(
            name: "IoTEventsCore",
            dependencies: ["CLibcShim"],
            path: "Targets/IoTEventsCore",
            exclude: ["Expressions/README.md"],
            swiftSettings: sanitizers
        ),
        .target(
            name: "IoTEventsAPI",
            dependencies: ["IoTEventsCore", "CJanssonShim", "CLibcShim"],
            path: "Targets/IoTEventsAPI",
            exclude: ["ServiceModel/operations.txt"],
            swiftSettings: sanitizers + jansson
        ),
        .executableTarget(
            name: "fuzz-expressions",
            dependencies: ["IoTEventsCore"],
            path: "Targets/fuzz-expressions",
            swiftSettings: sanitizers
        ),
        fuzzTarget("requests", dependencies: api),
        fuzzTarget("config", dependencies: api),
        fuzzTarget("snapshot", dependencies: api, defines: ["FUZZ_SNAPSHOT"]),
        fuzzTarget("log", dependencies: api, defines: ["FUZZ_LOG"]),
        fuzzTarget("stateful", dependencies: api),
    ]
)
