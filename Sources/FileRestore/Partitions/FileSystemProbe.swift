/// Recognises the file system in a partition by its magic numbers and opens the ones this module reads.
public enum FileSystemProbe {
    /// The name of the file system `source` holds (`"ext4"`, `"NTFS"`, `"XFS"`, …), or `nil` if unknown.
    public static func detect(_ source: any ByteSource) async -> String? {
        guard let head = try? await source.read(at: 0, count: Int(min(source.size, 4096))) else { return nil }
        if head.bytes(3, 8) == Array("NTFS    ".utf8) { return "NTFS" }
        if head.bytes(0, 4) == Array("XFSB".utf8) { return "XFS" }
        if head.bytes(0, 6) == [0x4C, 0x55, 0x4B, 0x53, 0xBA, 0xBE] { return "LUKS" }
        if head.u16(1080) == 0xEF53 { return Ext4Superblock.flavour(of: head.bytes(1024, 1024)) }
        if head.bytes(512, 8) == Array("LABELONE".utf8) { return "LVM" }
        if head.bytes(4086, 10) == Array("SWAPSPACE2".utf8) { return "Linux swap" }
        if head.bytes(82, 5) == Array("FAT32".utf8) || head.bytes(54, 3) == Array("FAT".utf8) { return "FAT" }
        if head.bytes(3, 8) == Array("EXFAT   ".utf8) { return "exFAT" }
        if source.size >= 0x10048, let tail = try? await source.read(at: 0x10040, count: 8),
            tail == Array("_BHRfS_M".utf8)
        {
            return "btrfs"
        }
        return nil
    }

    /// A reader of the file system in `source`.
    /// - Throws: ``FileRestoreError`` with code ``FileRestoreError/Code/unsupported`` naming the file system
    ///   when it is one this module does not read (XFS, btrfs, …), or when none is recognised.
    public static func open(_ source: any ByteSource) async throws -> any FileSystemReader {
        let kind = await detect(source)
        switch kind {
        case "ext2", "ext3", "ext4":
            return try await Ext4Reader(source)
        case "NTFS":
            return try await NTFSReader(source)
        case let name?:
            throw FileRestoreError(.unsupported, "\(name) is not supported: file-level restore reads ext4 and NTFS")
        case nil:
            throw FileRestoreError(
                .unsupported,
                "no known file system was found (it may be empty, encrypted or damaged): file-level restore "
                    + "reads ext4 and NTFS"
            )
        }
    }
}
