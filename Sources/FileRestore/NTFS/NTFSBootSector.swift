/// The fields of an NTFS boot sector this reader uses, each validated.
struct NTFSBootSector: Sendable, Equatable {
    /// Bytes per sector: a power of two from 256 to 4,096.
    let bytesPerSector: Int
    /// Bytes per cluster: a power of two from the sector size to 2 MiB.
    let clusterSize: Int
    /// The volume's size in bytes.
    let volumeSize: UInt64
    /// The first cluster of the `$MFT`.
    let mftCluster: UInt64
    /// Bytes per MFT record: a power of two from 512 to 64 KiB.
    let recordSize: Int
    /// Bytes per index record: a power of two from 512 to 64 KiB.
    let indexRecordSize: Int

    /// The number of clusters in the volume.
    var clusterCount: UInt64 { volumeSize / UInt64(clusterSize) }

    /// Parses and validates the 512-byte boot sector; `sourceSize` is the size of the partition it opens.
    init(_ sector: [UInt8], sourceSize: UInt64) throws {
        let bytes = NTFSBytes(sector, "NTFS boot sector")
        guard sector.count >= 512, sector[3..<11].elementsEqual(Array("NTFS    ".utf8)) else {
            throw FileRestoreError(.damaged, "NTFS boot sector: the OEM identifier is not \"NTFS    \"")
        }
        guard sector[510] == 0x55, sector[511] == 0xAA else {
            throw FileRestoreError(.damaged, "NTFS boot sector: the end-of-sector marker 55 AA is missing")
        }
        let bytesPerSector = Int(try bytes.u16(0x0B, "bytes per sector"))
        guard (256...4096).contains(bytesPerSector), bytesPerSector.nonzeroBitCount == 1 else {
            throw FileRestoreError(
                .damaged,
                "NTFS boot sector: \(bytesPerSector) bytes per sector is not a power of two from 256 to 4096"
            )
        }
        let clusterCode = Int(try bytes.u8(0x0D, "sectors per cluster"))
        let sectorsPerCluster: Int
        if clusterCode <= 0x80 {
            sectorsPerCluster = clusterCode
        } else {
            // Values above 128 encode 2^(256 - value) sectors (large clusters).
            let shift = 256 - clusterCode
            guard shift <= 20 else {
                throw FileRestoreError(.damaged, "NTFS boot sector: sectors per cluster code \(clusterCode) is invalid")
            }
            sectorsPerCluster = 1 << shift
        }
        guard sectorsPerCluster > 0, sectorsPerCluster.nonzeroBitCount == 1,
            bytesPerSector * sectorsPerCluster <= 2 << 20
        else {
            throw FileRestoreError(
                .damaged,
                "NTFS boot sector: \(sectorsPerCluster) sectors per cluster (code \(clusterCode)) is not a power of two "
                    + "giving a cluster of at most 2 MiB"
            )
        }
        let clusterSize = bytesPerSector * sectorsPerCluster
        let totalSectors = try bytes.u64(0x28, "total sectors")
        guard totalSectors > 0, totalSectors <= sourceSize / UInt64(bytesPerSector) else {
            throw FileRestoreError(
                .damaged,
                "NTFS boot sector: the volume has \(totalSectors) sectors of \(bytesPerSector) bytes, but the "
                    + "partition holds only \(sourceSize) bytes (the image may be truncated)"
            )
        }
        let volumeSize = totalSectors * UInt64(bytesPerSector)
        let mftCluster = try bytes.u64(0x30, "MFT cluster")
        guard mftCluster < volumeSize / UInt64(clusterSize) else {
            throw FileRestoreError(
                .damaged,
                "NTFS boot sector: the MFT's cluster \(mftCluster) lies past the volume's end"
            )
        }
        let recordSize = try Self.structureSize(
            Int8(bitPattern: try bytes.u8(0x40, "clusters per MFT record")),
            clusterSize: clusterSize,
            name: "MFT record"
        )
        let indexRecordSize = try Self.structureSize(
            Int8(bitPattern: try bytes.u8(0x44, "clusters per index record")),
            clusterSize: clusterSize,
            name: "index record"
        )
        self.bytesPerSector = bytesPerSector
        self.clusterSize = clusterSize
        self.volumeSize = volumeSize
        self.mftCluster = mftCluster
        self.recordSize = recordSize
        self.indexRecordSize = indexRecordSize
    }

    /// A record size: positive codes count clusters, negative ones are 2^(-code) bytes.
    private static func structureSize(_ code: Int8, clusterSize: Int, name: String) throws -> Int {
        let size: Int
        if code > 0 {
            size = Int(code) * clusterSize
        } else if code < 0, code >= -31 {
            size = 1 << Int(-code)
        } else {
            size = 0
        }
        guard (512...65536).contains(size), size.nonzeroBitCount == 1 else {
            throw FileRestoreError(
                .damaged,
                "NTFS boot sector: the \(name) size code \(code) does not give a power of two from 512 to 65536 bytes"
            )
        }
        return size
    }
}
