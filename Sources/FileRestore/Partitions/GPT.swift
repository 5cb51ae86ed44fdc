/// The GUID partition table: a header at sector 1 (and a backup at the last sector), each checked by its
/// own CRC and the CRC of the entry array it points to.
enum GPT {
    /// The largest entry array read (the usual one is 16 KiB).
    static let maximumArrayBytes = 1 << 20

    static func read(_ disk: any ByteSource) async throws -> [Partition] {
        let sectors = disk.size / PartitionTable.sectorSize
        var problems: [String] = []
        for (which, lba) in [("primary", UInt64(1)), ("backup", sectors - 1)] {
            do {
                return try await read(disk, headerAt: lba)
            } catch let error as FileRestoreError where error.code == .damaged {
                problems.append("the \(which) header: \(error.message)")
            }
        }
        throw FileRestoreError(
            .damaged,
            "the GPT partition table is damaged: " + problems.joined(separator: "; ")
        )
    }

    private static func read(_ disk: any ByteSource, headerAt lba: UInt64) async throws -> [Partition] {
        let sectorSize = PartitionTable.sectorSize
        let header = try await disk.read(at: lba * sectorSize, count: Int(sectorSize))
        guard header.bytes(0, 8) == Array("EFI PART".utf8) else {
            throw FileRestoreError(.damaged, "sector \(lba) has no EFI PART signature")
        }
        let headerSize = Int(header.u32(12))
        guard (92...Int(sectorSize)).contains(headerSize) else {
            throw FileRestoreError(.damaged, "its size (\(headerSize) bytes) is invalid")
        }
        var zeroed = header.bytes(0, headerSize)
        for index in 16..<20 { zeroed[index] = 0 }
        guard CRC32.ieee(zeroed) == header.u32(16) else {
            throw FileRestoreError(.damaged, "its CRC does not match")
        }
        let arrayLBA = header.u64(72)
        let count = Int(header.u32(80))
        let entrySize = Int(header.u32(84))
        guard (128...4096).contains(entrySize), entrySize % 8 == 0, count >= 0, count <= maximumArrayBytes / entrySize
        else {
            throw FileRestoreError(
                .damaged,
                "its entry array (\(count) entries of \(entrySize) bytes) is invalid or larger than "
                    + "\(maximumArrayBytes) bytes"
            )
        }
        let arrayBytes = count * entrySize
        let sectors = disk.size / sectorSize
        let arraySectors = UInt64((arrayBytes + Int(sectorSize) - 1) / Int(sectorSize))
        guard arrayLBA < sectors, arraySectors <= sectors - arrayLBA else {
            throw FileRestoreError(.damaged, "its entry array at sector \(arrayLBA) lies past the disk's end")
        }
        let array = try await disk.read(at: arrayLBA * sectorSize, count: arrayBytes)
        guard CRC32.ieee(array) == header.u32(88) else {
            throw FileRestoreError(.damaged, "the CRC of its entry array does not match")
        }
        var partitions: [Partition] = []
        for index in 0..<count {
            let entry = array.bytes(index * entrySize, entrySize)
            let type = guid(entry, at: 0)
            guard type != "00000000-0000-0000-0000-000000000000" else { continue }
            let first = entry.u64(32)
            let last = entry.u64(40)
            guard last >= first else {
                throw FileRestoreError(.damaged, "entry \(index + 1) ends (sector \(last)) before it starts (\(first))")
            }
            // An entry spanning every sector number (0 to 2^64 - 1) has a count that does not fit in 64 bits:
            // saturated, it is refused as reaching past the disk's end.
            let (count, overflow) = (last - first).addingReportingOverflow(1)
            let (offset, size) = try PartitionTable.extent(
                start: first,
                count: overflow ? .max : count,
                number: index + 1,
                disk: disk
            )
            partitions.append(
                Partition(
                    number: index + 1,
                    scheme: "GPT",
                    offset: offset,
                    size: size,
                    type: type,
                    typeName: typeNames[type],
                    name: name(entry)
                )
            )
        }
        return partitions
    }

    /// A GUID in its text form (the first three fields are little-endian on disk).
    static func guid(_ bytes: [UInt8], at offset: Int) -> String {
        let raw = bytes.bytes(offset, 16)
        guard raw.count == 16 else { return "" }
        let order = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15]
        return order.map { $0 < 0 ? "-" : hex(raw[$0]) }.joined()
    }

    private static func hex(_ byte: UInt8) -> String {
        let text = String(byte, radix: 16, uppercase: true)
        return text.count < 2 ? "0" + text : text
    }

    private static func name(_ entry: [UInt8]) -> String? {
        var units: [UInt16] = []
        var offset = 56
        while offset + 1 < min(entry.count, 128) {
            let unit = entry.u16(offset)
            if unit == 0 { break }
            units.append(unit)
            offset += 2
        }
        return units.isEmpty ? nil : String(decoding: units, as: UTF16.self)
    }

    static let typeNames: [String: String] = [
        "0FC63DAF-8483-4772-8E79-3D69D8477DE4": "Linux file system",
        "C12A7328-F81F-11D2-BA4B-00A0C93EC93B": "EFI system",
        "21686148-6449-6E6F-744E-656564454649": "BIOS boot",
        "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7": "Microsoft basic data",
        "E3C9E316-0B5C-4DB8-817D-F92DF00215AE": "Microsoft reserved",
        "DE94BBA4-06D1-4D40-A16A-BFD50179D6AC": "Windows recovery",
        "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F": "Linux swap",
        "E6D6D379-F507-44C2-A23C-238F2A3DF928": "Linux LVM",
    ]
}
