/// Parses ext4 directory blocks: linear entries (an htree's index blocks look like one empty entry, so
/// a linear scan of every block reads htree directories too).
enum Ext4Directory {
    struct Record {
        var inode: UInt64
        var name: String
    }

    /// The entries of one block (or inline area) of `length` bytes; `.` and `..` and empty slots skipped.
    static func records(in bytes: [UInt8], directory: UInt64) throws -> [Record] {
        var records: [Record] = []
        var offset = 0
        while offset + 8 <= bytes.count {
            let inode = UInt64(bytes.u32(offset))
            var length = Int(bytes.u16(offset + 4))
            if length == 0 || length == 65535 { length = min(bytes.count - offset, 1 << 16) }
            let nameLength = Int(bytes.u8(offset + 6))
            guard length >= 8, length % 4 == 0, length <= bytes.count - offset, 8 + nameLength <= length else {
                throw FileRestoreError(
                    .damaged,
                    "directory inode \(directory) has an invalid entry at byte \(offset) of a block "
                        + "(length \(length), name length \(nameLength))"
                )
            }
            if inode != 0, nameLength > 0 {
                let name = String(decoding: bytes[(offset + 8)..<(offset + 8 + nameLength)], as: UTF8.self)
                if name != "." && name != ".." { records.append(Record(inode: inode, name: name)) }
            }
            offset += length
        }
        return records
    }
}
