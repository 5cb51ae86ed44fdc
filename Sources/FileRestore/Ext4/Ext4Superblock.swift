/// The ext2/3/4 superblock: the geometry and the feature flags that matter for reading.
struct Ext4Superblock: Sendable {
    var blockSize: Int
    var blocksCount: UInt64
    var firstDataBlock: UInt64
    var blocksPerGroup: UInt64
    var inodesPerGroup: UInt64
    var inodesCount: UInt64
    var inodeSize: Int
    var descriptorSize: Int
    var incompatible: UInt32
    var groupCount: UInt64

    static let incompatFileType: UInt32 = 0x2
    static let incompatRecover: UInt32 = 0x4
    static let incompatMetaGroups: UInt32 = 0x10
    static let incompatExtents: UInt32 = 0x40
    static let incompat64Bit: UInt32 = 0x80
    /// Features whose meaning for reading is understood: everything else set in `s_feature_incompat` is refused.
    static let understood: UInt32 =
        0x2 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x2000 | 0x4000 | 0x8000 | 0x10000 | 0x20000
    static let featureNames: [UInt32: String] = [
        0x1: "compression", 0x8: "journal_dev", 0x1000: "dirdata", 0x40000: "encoding",
    ]

    /// "ext2", "ext3" or "ext4", judged from the feature flags of a superblock's bytes.
    static func flavour(of bytes: [UInt8]) -> String {
        let compatible = bytes.u32(0x5C)
        let incompatible = bytes.u32(0x60)
        if incompatible & (incompatExtents | incompat64Bit | 0x200 | 0x8000) != 0 { return "ext4" }
        return compatible & 0x4 != 0 ? "ext3" : "ext2"
    }

    /// Parses and checks the 1024 bytes of a superblock for a file system of `sourceSize` bytes.
    init(_ bytes: [UInt8], sourceSize: UInt64) throws {
        guard bytes.count >= 1024, bytes.u16(0x38) == 0xEF53 else {
            throw FileRestoreError(.damaged, "the ext4 superblock has no EF53 magic number")
        }
        let logSize = bytes.u32(0x18)
        guard logSize <= 6 else {
            throw FileRestoreError(.damaged, "the ext4 superblock gives an invalid block size (log \(logSize))")
        }
        blockSize = 1024 << Int(logSize)
        incompatible = bytes.u32(0x60)
        let unknown = incompatible & ~Self.understood
        if unknown != 0 {
            let names = (0..<32).map { UInt32(1) << $0 }.filter { unknown & $0 != 0 }.map {
                Self.featureNames[$0] ?? "0x" + String($0, radix: 16)
            }
            throw FileRestoreError(
                .unsupported,
                "this ext4 file system uses the feature \(names.joined(separator: ", ")), which file-level "
                    + "restore does not read"
            )
        }
        let is64 = incompatible & Self.incompat64Bit != 0
        blocksCount = UInt64(bytes.u32(0x4)) | (is64 ? UInt64(bytes.u32(0x150)) << 32 : 0)
        firstDataBlock = UInt64(bytes.u32(0x14))
        blocksPerGroup = UInt64(bytes.u32(0x20))
        inodesPerGroup = UInt64(bytes.u32(0x28))
        inodesCount = UInt64(bytes.u32(0x0))
        let revision = bytes.u32(0x4C)
        inodeSize = revision == 0 ? 128 : Int(bytes.u16(0x58))
        descriptorSize = is64 ? Int(bytes.u16(0xFE)) : 32
        guard inodeSize >= 128, inodeSize <= blockSize, inodeSize.nonzeroBitCount == 1 else {
            throw FileRestoreError(.damaged, "the ext4 superblock gives an invalid inode size (\(inodeSize))")
        }
        guard descriptorSize >= 32, descriptorSize <= 1024, descriptorSize.nonzeroBitCount == 1 else {
            throw FileRestoreError(
                .damaged,
                "the ext4 superblock gives an invalid group descriptor size (\(descriptorSize))"
            )
        }
        guard blocksPerGroup > 0, blocksPerGroup <= UInt64(blockSize) * 8, inodesPerGroup > 0,
            inodesPerGroup <= UInt64(blockSize) * 8, blocksCount > firstDataBlock, firstDataBlock <= 1
        else {
            throw FileRestoreError(.damaged, "the ext4 superblock's group geometry is invalid")
        }
        groupCount = (blocksCount - firstDataBlock + blocksPerGroup - 1) / blocksPerGroup
        guard inodesCount <= groupCount * inodesPerGroup else {
            throw FileRestoreError(.damaged, "the ext4 superblock counts more inodes than its groups hold")
        }
        let needed = blocksCount.multipliedReportingOverflow(by: UInt64(blockSize))
        guard !needed.overflow, needed.partialValue <= sourceSize else {
            throw FileRestoreError(
                .damaged,
                "the ext4 file system has \(blocksCount) blocks of \(blockSize) bytes but its partition holds only "
                    + "\(sourceSize) bytes: the image is truncated or the partition table is wrong"
            )
        }
    }

    /// Fails unless blocks `[start, start + count)` lie inside the file system.
    func check(block start: UInt64, count: UInt64 = 1, _ what: @autoclosure () -> String) throws {
        guard start < blocksCount, count <= blocksCount - start else {
            throw FileRestoreError(
                .damaged,
                "\(what()) points at block \(start) (+\(count)), beyond the file system's \(blocksCount) blocks"
            )
        }
    }
}
