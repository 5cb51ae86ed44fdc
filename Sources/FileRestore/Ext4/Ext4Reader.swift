/// A read-only ext2/3/4 file system (see ``FileSystemReader``): extent trees and block maps, linear and
/// htree directories, inline data, fast and slow symlinks, sparse files.
public struct Ext4Reader: FileSystemReader {
    public var typeName: String { "ext4" }

    /// The largest directory read (its blocks are read one at a time, its entries kept).
    public static let maximumDirectoryBytes: UInt64 = 256 << 20
    /// The most entries one directory listing holds.
    public static let maximumDirectoryEntries = 2_000_000
    /// The most bytes one ``read(_:at:count:)`` returns.
    public static let maximumReadLength = 64 << 20
    /// The longest symlink target read.
    static let maximumLinkLength: UInt64 = 65536
    /// The deepest path looked up.
    static let maximumPathComponents = 4096

    let source: any ByteSource
    let superblock: Ext4Superblock
    private let map: Ext4BlockMap

    /// Opens the file system in `source`, checking its superblock.
    public init(_ source: any ByteSource) async throws {
        guard source.size >= 2048 else {
            throw FileRestoreError(.damaged, "the partition (\(source.size) bytes) is too small to hold ext4")
        }
        let bytes = try await source.read(at: 1024, count: 1024)
        superblock = try Ext4Superblock(bytes, sourceSize: source.size)
        self.source = source
        map = Ext4BlockMap(superblock: superblock, source: source)
    }

    public func root() async throws -> FileEntry {
        try await inode(2).entry(named: "/")
    }

    public func lookup(_ path: String) async throws -> FileEntry {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard components.count <= Self.maximumPathComponents else {
            throw FileRestoreError(.limitExceeded, "the path \(path) has more than \(Self.maximumPathComponents) parts")
        }
        var current = try await root()
        for (position, component) in components.enumerated() {
            guard current.kind == .directory else {
                let parent = "/" + components[..<position].joined(separator: "/")
                throw FileRestoreError(
                    current.kind == .symlink ? .notFound : .wrongType,
                    current.kind == .symlink
                        ? "\(parent) is a symlink: paths through symlinks are not followed"
                        : "\(parent) is not a folder"
                )
            }
            guard let found = try await list(current).first(where: { $0.name == component }) else {
                throw FileRestoreError(.notFound, "\(path) does not exist: \(component) is not in its folder")
            }
            current = found
        }
        return current
    }

    public func list(_ directory: FileEntry) async throws -> [FileEntry] {
        let node = try await inode(directory.identity)
        guard node.kind == .directory else {
            throw FileRestoreError(.wrongType, "\(directory.name) (inode \(node.number)) is not a folder")
        }
        var records: [Ext4Directory.Record] = []
        if node.flags & Ext4Inode.flagInlineData != 0 {
            let inline = node.blockArea.bytes(4, 56) + (node.systemAttribute("data") ?? [])
            records = try Ext4Directory.records(in: inline, directory: node.number)
        } else {
            guard node.size <= Self.maximumDirectoryBytes else {
                throw FileRestoreError(
                    .limitExceeded,
                    "folder \(directory.name) (inode \(node.number)) is \(node.size) bytes, more than the "
                        + "\(Self.maximumDirectoryBytes) bytes read at once"
                )
            }
            let blockSize = UInt64(superblock.blockSize)
            var block: UInt64 = 0
            while block * blockSize < node.size {
                let bytes = try await readContent(node, at: block * blockSize, count: superblock.blockSize)
                records += try Ext4Directory.records(in: bytes, directory: node.number)
                guard records.count <= Self.maximumDirectoryEntries else {
                    throw FileRestoreError(
                        .limitExceeded,
                        "folder \(directory.name) (inode \(node.number)) has more than "
                            + "\(Self.maximumDirectoryEntries) entries"
                    )
                }
                block += 1
            }
        }
        var entries: [FileEntry] = []
        entries.reserveCapacity(records.count)
        for record in records {
            entries.append(try await inode(record.inode).entry(named: record.name))
        }
        return entries
    }

    public func read(_ file: FileEntry, at offset: UInt64, count: Int) async throws -> [UInt8] {
        let node = try await inode(file.identity)
        guard node.kind == .regular else {
            throw FileRestoreError(.wrongType, "\(file.name) (inode \(node.number)) is not a regular file")
        }
        guard count >= 0, count <= Self.maximumReadLength else {
            throw FileRestoreError(.limitExceeded, "a read of \(count) bytes is more than \(Self.maximumReadLength)")
        }
        guard offset < node.size else { return [] }
        return try await readContent(node, at: offset, count: Int(min(UInt64(count), node.size - offset)))
    }

    public func readLink(_ link: FileEntry) async throws -> String {
        let node = try await inode(link.identity)
        guard node.kind == .symlink else {
            throw FileRestoreError(.wrongType, "\(link.name) (inode \(node.number)) is not a symlink")
        }
        guard node.size <= Self.maximumLinkLength else {
            throw FileRestoreError(.damaged, "symlink inode \(node.number) claims a \(node.size)-byte target")
        }
        let bytes: [UInt8]
        if node.flags & (Ext4Inode.flagExtents | Ext4Inode.flagInlineData) == 0, node.size < 60 {
            bytes = node.blockArea.bytes(0, Int(node.size))
        } else {
            bytes = try await readContent(node, at: 0, count: Int(node.size))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Inodes and contents

    /// Reads and parses inode `number`.
    func inode(_ number: UInt64) async throws -> Ext4Inode {
        let bytes = try await source.read(at: try await inodeOffset(number), count: superblock.inodeSize)
        let inode = try Ext4Inode(number: number, bytes: bytes)
        if inode.flags & Ext4Inode.flagEncrypted != 0 {
            throw FileRestoreError(.unsupported, "inode \(number) is encrypted (fscrypt), which is not supported")
        }
        return inode
    }

    /// Where inode `number` lies in the source.
    func inodeOffset(_ number: UInt64) async throws -> UInt64 {
        guard number >= 1, number <= superblock.inodesCount else {
            throw FileRestoreError(.damaged, "inode \(number) is out of range (1…\(superblock.inodesCount))")
        }
        let group = (number - 1) / superblock.inodesPerGroup
        let index = (number - 1) % superblock.inodesPerGroup
        let table = try await inodeTable(ofGroup: group)
        let perBlock = UInt64(superblock.blockSize / superblock.inodeSize)
        let block = table + index / perBlock
        try superblock.check(block: block, "the inode table of group \(group)")
        return block * UInt64(superblock.blockSize) + (index % perBlock) * UInt64(superblock.inodeSize)
    }

    /// The first block of group `group`'s inode table, from its group descriptor.
    private func inodeTable(ofGroup group: UInt64) async throws -> UInt64 {
        let size = UInt64(superblock.descriptorSize)
        let blockSize = UInt64(superblock.blockSize)
        let perBlock = blockSize / size
        let descriptorBlock: UInt64
        if superblock.incompatible & Ext4Superblock.incompatMetaGroups != 0 {
            // meta_bg: each meta group's descriptors sit in its first group (after a superblock copy, if any).
            let first = group / perBlock * perBlock
            let hasCopy: UInt64 = first == 0 || isPowerGroup(first) ? 1 : 0
            descriptorBlock = superblock.firstDataBlock + first * superblock.blocksPerGroup + hasCopy
        } else {
            descriptorBlock = superblock.firstDataBlock + 1 + group / perBlock
        }
        try superblock.check(block: descriptorBlock, "the group descriptor of group \(group)")
        let offset = descriptorBlock * blockSize + (group % perBlock) * size
        let bytes = try await source.read(at: offset, count: Int(size))
        var table = UInt64(bytes.u32(0x8))
        if size >= 64 { table |= UInt64(bytes.u32(0x28)) << 32 }
        let tableBlocks = (superblock.inodesPerGroup * UInt64(superblock.inodeSize) + blockSize - 1) / blockSize
        guard table > superblock.firstDataBlock, table < superblock.blocksCount,
            tableBlocks <= superblock.blocksCount - table
        else {
            throw FileRestoreError(
                .damaged,
                "the group descriptor of group \(group) puts its inode table at block \(table), outside the file "
                    + "system's \(superblock.blocksCount) blocks: the ext4 group descriptors are damaged"
            )
        }
        return table
    }

    private func isPowerGroup(_ group: UInt64) -> Bool {
        for base: UInt64 in [3, 5, 7] {
            var value = base
            while value < group { value *= base }
            if value == group { return true }
        }
        return group == 1
    }

    /// `count` bytes of an inode's contents from `offset` (inside its size), holes as zeros.
    private func readContent(_ node: Ext4Inode, at offset: UInt64, count: Int) async throws -> [UInt8] {
        guard count > 0 else { return [] }
        if node.flags & Ext4Inode.flagInlineData != 0 {
            let inline = node.blockArea + (node.systemAttribute("data") ?? [])
            var bytes = inline.bytes(Int(min(offset, UInt64(Int.max))), count)
            bytes += [UInt8](repeating: 0, count: count - bytes.count)
            return bytes
        }
        let blockSize = UInt64(superblock.blockSize)
        var result: [UInt8] = []
        result.reserveCapacity(count)
        var position = offset
        let end = offset + UInt64(count)
        while position < end {
            let logical = position / blockSize
            let within = position % blockSize
            let blocksLeft = (end - position + within + blockSize - 1) / blockSize
            let run = try await map.run(of: node, at: logical, limit: min(blocksLeft, 1024))
            let length = min(run.count * blockSize - within, end - position)
            if let physical = run.physical {
                result += try await source.read(at: physical * blockSize + within, count: Int(length))
            } else {
                result += [UInt8](repeating: 0, count: Int(length))
            }
            position += length
        }
        return result
    }
}
