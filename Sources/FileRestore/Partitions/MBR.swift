/// The MS-DOS partition table: four primary entries, one of which may be an extended partition holding a
/// chain of extended boot records, each describing one logical partition.
enum MBR {
    struct Entry {
        var type: UInt8
        var start: UInt64
        var count: UInt64

        init(_ sector: [UInt8], at offset: Int) {
            type = sector.u8(offset + 4)
            start = UInt64(sector.u32(offset + 8))
            count = UInt64(sector.u32(offset + 12))
        }

        var isExtended: Bool { type == 0x05 || type == 0x0F || type == 0x85 }
    }

    /// The most logical partitions read from one chain.
    static let maximumLogical = 128

    static func read(_ disk: any ByteSource, first: [UInt8]) async throws -> [Partition] {
        var partitions: [Partition] = []
        var extended: Entry?
        for slot in 0..<4 {
            let entry = Entry(first, at: 446 + slot * 16)
            guard entry.type != 0, entry.count > 0 else { continue }
            if entry.isExtended {
                if extended == nil { extended = entry }
                continue
            }
            partitions.append(try partition(entry, base: 0, number: slot + 1, disk: disk))
        }
        if let extended {
            partitions += try await logical(in: extended, disk: disk)
        }
        return partitions
    }

    /// Follows the chain of extended boot records, refusing loops and chains longer than ``maximumLogical``.
    private static func logical(in extended: Entry, disk: any ByteSource) async throws -> [Partition] {
        _ = try PartitionTable.extent(start: extended.start, count: extended.count, number: 0, disk: disk)
        var partitions: [Partition] = []
        var visited: Set<UInt64> = []
        var current = extended.start
        while true {
            guard visited.insert(current).inserted else {
                throw FileRestoreError(
                    .damaged,
                    "the chain of extended boot records loops back to sector \(current): the MBR partition table "
                        + "is damaged"
                )
            }
            guard partitions.count < maximumLogical else {
                throw FileRestoreError(
                    .limitExceeded,
                    "the extended partition holds more than \(maximumLogical) logical partitions"
                )
            }
            let offset = try PartitionTable.extent(start: current, count: 1, number: 5 + partitions.count, disk: disk)
            let record = try await disk.read(at: offset.0, count: Int(PartitionTable.sectorSize))
            guard record.u16(510) == 0xAA55 else {
                throw FileRestoreError(
                    .damaged,
                    "the extended boot record at sector \(current) has no 55 AA signature: the MBR partition "
                        + "table is damaged"
                )
            }
            let entry = Entry(record, at: 446)
            if entry.type != 0, entry.count > 0 {
                partitions.append(try partition(entry, base: current, number: 5 + partitions.count, disk: disk))
            }
            let link = Entry(record, at: 462)
            guard link.isExtended, link.start > 0 else { break }
            current = extended.start + link.start
        }
        return partitions
    }

    private static func partition(_ entry: Entry, base: UInt64, number: Int, disk: any ByteSource) throws -> Partition {
        let (offset, size) = try PartitionTable.extent(
            start: base + entry.start,
            count: entry.count,
            number: number,
            disk: disk
        )
        let hex = String(entry.type, radix: 16)
        return Partition(
            number: number,
            scheme: "MBR",
            offset: offset,
            size: size,
            type: "0x" + (hex.count < 2 ? "0" + hex : hex),
            typeName: typeNames[entry.type]
        )
    }

    static let typeNames: [UInt8: String] = [
        0x07: "NTFS/exFAT", 0x0B: "FAT32", 0x0C: "FAT32 (LBA)", 0x0E: "FAT16 (LBA)", 0x82: "Linux swap",
        0x83: "Linux", 0x8E: "Linux LVM", 0xEF: "EFI system", 0xFD: "Linux RAID",
    ]
}
