/// The analyses an engine keeps (docs/behaviour.md §8): for 24 hours of engine time after each
/// started, as AWS kept results, and at most `maxAnalyses`, the oldest forgotten first. Durable
/// with a state directory: StartDetectorModelAnalysis is logged (replaying it runs the same
/// analysis against the same models and inputs, under the same id) and snapshots hold the store.
package final class AnalysisStore {
    package enum Status: String, Sendable {
        case running = "RUNNING"
        case complete = "COMPLETE"
        case failed = "FAILED"
    }

    struct Entry {
        let id: String
        /// When the analysis started (engine clock): it is kept `retentionMillis` from then.
        let started: Millis
        let results: [AnalysisResult]
        var describes = 0
    }

    /// How long results stay readable: "you have up to 24 hours to retrieve the analysis results".
    static let retentionSeconds: Int64 = 86_400

    private(set) var entries: [Entry] = []
    private(set) var sequence: UInt64 = 0

    init() {}

    /// Keeps `results` under a new id, dropping the oldest analyses beyond `limit`.
    func add(_ results: [AnalysisResult], started: Millis, limit: Int) -> String {
        sequence &+= 1
        let id = AnalysisStore.id(sequence)
        entries.append(Entry(id: id, started: started, results: results))
        if entries.count > limit { entries.removeFirst(entries.count - max(limit, 0)) }
        return id
    }

    /// The analysis `id`, if it is kept and not older than the retention at `now`.
    func index(of id: String, now: Millis) -> Int? {
        guard let i = entries.firstIndex(where: { $0.id == id }) else { return nil }
        return AnalysisStore.isKept(entries[i], now) ? i : nil
    }

    /// Forgets analyses past their retention at `now` (they can no longer be read).
    func expire(now: Millis) {
        entries.removeAll { !AnalysisStore.isKept($0, now) }
    }

    private static func isKept(_ entry: Entry, _ now: Millis) -> Bool {
        now < entry.started.adding(seconds: retentionSeconds)
    }

    /// A snapshot's analyses, in the order they were started.
    func restore(_ restored: [Entry], sequence: UInt64) {
        entries = restored
        self.sequence = sequence
    }

    func noteDescribe(_ i: Int) { entries[i].describes &+= 1 }

    /// A UUID-shaped id (as AWS's were) that counts analyses, so that ids are deterministic for
    /// the transcripts and never repeat within an engine.
    private static func id(_ n: UInt64) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        var v = n
        for _ in 0..<12 {
            hex.append(digits[Int(v & 0xF)])
            v >>= 4
        }
        return "00000000-0000-4000-8000-" + String(decoding: hex.reversed(), as: UTF8.self)
    }
}
