/// The analyses an engine keeps (docs/behaviour.md §8): at most `maxAnalyses`, the oldest
/// forgotten first. Not durable state: analyses are not logged or snapshotted, so after a
/// reopen their ids are unknown (an analysis is cheap to start again, and AWS kept results for
/// only 24 hours).
package final class AnalysisStore {
    package enum Status: String, Sendable {
        case running = "RUNNING"
        case complete = "COMPLETE"
        case failed = "FAILED"
    }

    struct Entry {
        let id: String
        let results: [AnalysisResult]
        var describes = 0
    }

    private(set) var entries: [Entry] = []
    private var sequence: UInt64 = 0

    init() {}

    /// Keeps `results` under a new id, dropping the oldest analyses beyond `limit`.
    func add(_ results: [AnalysisResult], limit: Int) -> String {
        sequence &+= 1
        let id = AnalysisStore.id(sequence)
        entries.append(Entry(id: id, results: results))
        if entries.count > limit { entries.removeFirst(entries.count - max(limit, 0)) }
        return id
    }

    func index(of id: String) -> Int? { entries.firstIndex { $0.id == id } }

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
