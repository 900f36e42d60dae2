/// The analysis store in a snapshot: its id counter, then each analysis kept (id, start time,
/// how often it was described, its results).
extension SnapshotFields {
    static func write(_ store: AnalysisStore, _ w: inout ByteWriter) {
        w.u64(store.sequence)
        w.count(store.entries.count)
        for entry in store.entries {
            w.string(entry.id)
            w.i64(entry.started)
            w.u64(UInt64(clamping: entry.describes))
            w.count(entry.results.count)
            for result in entry.results {
                w.string(result.type.rawValue)
                w.string(result.level.rawValue)
                w.string(result.message)
                w.count(result.locations.count)
                for path in result.locations { w.string(path) }
            }
        }
    }

    static func read(into store: AnalysisStore, _ r: inout ByteReader) throws(ByteReadError) {
        let sequence = try r.u64()
        var entries: [AnalysisStore.Entry] = []
        for _ in 0..<(try r.count()) {
            let id = try r.string(), started = try r.i64()
            let describes = Int(clamping: try r.u64())
            var results: [AnalysisResult] = []
            for _ in 0..<(try r.count()) {
                let typeName = try r.string(), levelName = try r.string()
                guard let type = AnalysisResult.Kind(rawValue: typeName) else {
                    throw r.failure("an analysis result of unknown type '\(typeName)'")
                }
                guard let level = AnalysisResult.Level(rawValue: levelName) else {
                    throw r.failure("an analysis result of unknown level '\(levelName)'")
                }
                let message = try r.string()
                var locations: [String] = []
                for _ in 0..<(try r.count()) { locations.append(try r.string()) }
                results.append(AnalysisResult(type, level, message, locations))
            }
            entries.append(AnalysisStore.Entry(id: id, started: started, results: results, describes: describes))
        }
        store.restore(entries, sequence: sequence)
    }
}
