import IoTEventsCore

/// Reading a log file back (format in StateLog): what tells a torn tail, which is dropped, from
/// damage, which fails the open.
extension StateLog {
    struct Scanned {
        let version: UInt32
        let epoch: UInt64
        let records: [LoggedRecord]
        /// Where the whole records end: a torn last record after it is cut off.
        let validLength: Int
    }

    /// The header, records and valid length of a log file. The header is written by an atomic
    /// replace and never changes, so a log without one — empty, zero-filled, cut at the start —
    /// is damage, never a crash: the calls it held would be lost silently.
    static func scan(_ data: [UInt8], path: String) throws(ServiceError) -> Scanned {
        if data.isEmpty { throw corrupt(path, 0, "the file is empty, its header and every record gone") }
        if data.allSatisfy({ $0 == 0 }) { throw corrupt(path, 0, "the file holds nothing but zeros") }
        guard data.count >= headerBytes, Array(data[0..<8]) == magic else {
            throw corrupt(path, 0, "it is not a libiotevents state log (its header is missing or damaged)")
        }
        var header = ByteReader(data, from: 8, to: headerBytes)
        let version = (try? header.u32()) ?? 0
        let epoch = (try? header.u64()) ?? 0
        let checksum = (try? header.u32()) ?? 0
        guard version <= formatVersion else {
            throw ServiceError(.internalFailure, "State directory log \(path) has format version \(version), written by a newer libiotevents; this one reads versions up to \(formatVersion)")
        }
        guard CRC32C.checksum(data[8..<20]) == checksum else { throw corrupt(path, 8, "a header checksum mismatch") }
        guard version >= oldestFormatVersion else { throw corrupt(path, 8, "a format version of \(version)") }
        let numbered = version >= 2
        let minimumBody = numbered ? 25 : 9 // (epoch, sequence,) kind, instant
        var records: [LoggedRecord] = []
        var offset = headerBytes
        while offset < data.count {
            if data.count - offset < frameBytes { break } // torn inside the frame header
            var frame = ByteReader(data, from: offset, to: offset + frameBytes)
            let bodyLength = Int((try? frame.u32()) ?? 0)
            let lengthCheck = (try? frame.u32()) ?? 0
            let checksum = (try? frame.u32()) ?? 0
            if CRC32C.checksum(data[offset..<(offset + 4)]) != lengthCheck {
                // Zeros where a record should start are a tail the crash never wrote.
                if data[offset...].allSatisfy({ $0 == 0 }) { break }
                throw corrupt(path, offset, "a record length that fails its checksum")
            }
            guard bodyLength >= minimumBody, bodyLength <= maxBodyBytes else {
                throw corrupt(path, offset, "a record length of \(bodyLength)")
            }
            let recordEnd = offset + frameBytes + bodyLength
            if recordEnd > data.count { break } // torn: the record ends early
            let body = data[(offset + frameBytes)..<recordEnd]
            if CRC32C.checksum(body) != checksum {
                if recordEnd == data.count { break } // the last record, torn
                throw corrupt(path, offset, "a checksum mismatch")
            }
            var reader = ByteReader(data, from: offset + frameBytes, to: recordEnd)
            let expected = UInt64(records.count + 1)
            do throws(ByteReadError) {
                if numbered {
                    let recordEpoch = try reader.u64(), sequence = try reader.u64()
                    guard recordEpoch == epoch else {
                        throw reader.failure("record \(expected) belongs to log epoch \(recordEpoch), not to this log's epoch \(epoch): a record of another log")
                    }
                    guard sequence == expected else {
                        throw reader.failure("record \(expected) has sequence number \(sequence): "
                            + (expected == 1 ? "the log's first records are missing" : "records are missing or out of order"))
                    }
                }
                records.append(LoggedRecord(record: try LogRecord.decode(&reader), sequence: expected, offset: offset))
            } catch {
                throw corrupt(path, offset, "a record that cannot be read (\(error.reason))")
            }
            offset = recordEnd
        }
        return Scanned(version: version, epoch: epoch, records: records, validLength: offset)
    }
}
