import IoTEventsCore

// At-least-once delivery of actions (include/iotevents.h, "Durable state"; docs/decisions.md).
//
// A call or tick is logged before its actions are handed to the host's handler, so a process
// killed between the two keeps the call and would lose its actions. Each logged call or tick
// that produced actions is therefore followed, once the handler has returned for all of them,
// by a delivery marker naming it (LogRecord.delivered, written unsynced: a lost marker costs a
// duplicate, never an action). Opening replays the log and collects the actions of every
// record no marker names; the host is handed them when it sets its handler. A snapshot keeps
// the actions not yet confirmed at the moment it is taken, so compaction loses none.

/// Which record of which log: a log's epoch and the record's sequence number in it.
package struct LogPosition: Equatable {
    package let epoch: UInt64
    package let sequence: UInt64
}

/// The actions of one logged call or tick that the host's handler has not been handed (all
/// of): their documents, byte for byte as first written (a replay is deterministic, so their
/// actionExecutionIds and eventTimes are the same).
package struct UndeliveredActions {
    package let position: LogPosition
    package let documents: [String]

    /// The snapshot's section of undelivered actions: a count, then per record its position,
    /// a count and the documents.
    static func write(_ list: [UndeliveredActions], into w: inout ByteWriter) {
        w.count(list.count)
        for entry in list {
            w.u64(entry.position.epoch)
            w.u64(entry.position.sequence)
            w.count(entry.documents.count)
            for document in entry.documents { w.string(document) }
        }
    }

    static func read(_ r: inout ByteReader) throws(ByteReadError) -> [UndeliveredActions] {
        var list: [UndeliveredActions] = []
        for _ in 0..<(try r.count(minimumElementBytes: 20)) {
            let position = LogPosition(epoch: try r.u64(), sequence: try r.u64())
            var documents: [String] = []
            for _ in 0..<(try r.count(minimumElementBytes: 4)) { documents.append(try r.string()) }
            list.append(UndeliveredActions(position: position, documents: documents))
        }
        return list
    }
}

extension [UndeliveredActions] {
    /// Forgets the entry a delivery marker names (none when it was confirmed before).
    mutating func confirm(_ position: LogPosition) {
        if let index = firstIndex(where: { $0.position == position }) { remove(at: index) }
    }
}
