/// Finds a disk's partitions: GPT (checked by its CRCs, falling back to the backup header), MBR (with
/// extended and logical partitions), or a whole-disk file system with no table.
public enum PartitionTable {
    static let sectorSize: UInt64 = 512

    /// The partitions of `disk`, in table order (a single partition 0 when the disk has no table).
    /// - Throws: ``FileRestoreError`` with code ``FileRestoreError/Code/damaged`` when a table is present
    ///   but inconsistent (both GPT headers bad, a partition reaching past the disk's end, a looping chain
    ///   of extended boot records).
    public static func read(_ disk: any ByteSource) async throws -> [Partition] {
        guard disk.size >= sectorSize else { return [wholeDisk(disk)] }
        let first = try await disk.read(at: 0, count: Int(sectorSize))
        let hasSignature = first.u16(510) == 0xAA55
        let entries = (0..<4).map { MBR.Entry(first, at: 446 + $0 * 16) }
        if hasSignature, entries.contains(where: { $0.type == 0xEE }) {
            return try await GPT.read(disk)
        }
        // A file system's boot sector also ends in 55 AA (NTFS, FAT): a table is trusted only when the
        // sector is not one.
        if hasSignature, await FileSystemProbe.detect(disk) == nil, entries.contains(where: { $0.type != 0 }) {
            return try await MBR.read(disk, first: first)
        }
        return [wholeDisk(disk)]
    }

    private static func wholeDisk(_ disk: any ByteSource) -> Partition {
        Partition(number: 0, scheme: "none", offset: 0, size: disk.size, type: "none", typeName: "whole disk")
    }

    /// Fails unless sectors `[start, start + count)` lie on the disk; returns their byte offset and length.
    static func extent(start: UInt64, count: UInt64, number: Int, disk: any ByteSource) throws -> (UInt64, UInt64) {
        let sectors = disk.size / sectorSize
        guard start <= sectors, count <= sectors - start else {
            throw FileRestoreError(
                .damaged,
                "partition \(number) (sectors \(start) + \(count)) reaches past the disk's end "
                    + "(\(sectors) sectors): the partition table is damaged or the disk was truncated"
            )
        }
        return (start * sectorSize, count * sectorSize)
    }
}
