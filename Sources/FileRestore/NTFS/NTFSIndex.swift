/// One entry of a file-name index node: a name (absent in a node's last entry) and a child node.
struct NTFSIndexEntry: Sendable {
    /// The file reference the name belongs to.
    let reference: UInt64
    /// The key: the file's `$FILE_NAME`; `nil` in the last entry of a node.
    let key: NTFSFileName?
    /// The VCN of the node holding the names that sort before this entry.
    let child: UInt64?
}

/// Parsing of index nodes: the header and entries that `$INDEX_ROOT` and each `INDX` record carry.
enum NTFSIndexNode {
    enum EntryFlags {
        static let hasChild: UInt16 = 0x0001
        static let last: UInt16 = 0x0002
    }

    /// Parses the entries of the node whose index header starts at `header` in `bytes`.
    static func entries(_ bytes: NTFSBytes, header: Int) throws -> [NTFSIndexEntry] {
        let first = Int(try bytes.u32(header, "index entries offset"))
        let end = Int(try bytes.u32(header + 4, "index length"))
        guard first >= 16, first <= end, end <= bytes.count - header else {
            throw FileRestoreError(
                .damaged,
                "\(bytes.what): index entries at \(first)..<\(end) do not fit its \(bytes.count - header) bytes"
            )
        }
        var entries: [NTFSIndexEntry] = []
        var offset = header + first
        let limit = header + end
        while true {
            guard offset + 16 <= limit else {
                throw FileRestoreError(.damaged, "\(bytes.what): the index node ends without a last entry")
            }
            let reference = try bytes.u64(offset, "index entry reference")
            let length = Int(try bytes.u16(offset + 8, "index entry length"))
            let keyLength = Int(try bytes.u16(offset + 10, "index key length"))
            let flags = try bytes.u16(offset + 12, "index entry flags")
            let hasChild = flags & EntryFlags.hasChild != 0
            let isLast = flags & EntryFlags.last != 0
            guard length >= 16, length % 8 == 0, offset + length <= limit,
                16 + keyLength + (hasChild ? 8 : 0) <= length
            else {
                throw FileRestoreError(
                    .damaged,
                    "\(bytes.what): the index entry at offset \(offset) (length \(length), key \(keyLength) bytes) "
                        + "does not fit its node"
                )
            }
            var key: NTFSFileName?
            if !isLast {
                key = try NTFSFileName(
                    try bytes.slice(offset + 16, keyLength, "index key"),
                    what: "\(bytes.what), index entry at offset \(offset)"
                )
            }
            let child = hasChild ? try bytes.u64(offset + length - 8, "index child VCN") : nil
            entries.append(NTFSIndexEntry(reference: reference, key: key, child: child))
            if isLast { return entries }
            offset += length
        }
    }
}

/// A folder's file-name index (`$I30`): the root node, the index records and the bitmap of those in use.
struct NTFSDirectoryIndex: Sendable {
    let what: String
    let rootEntries: [NTFSIndexEntry]
    let blockSize: Int
    /// Log2 of the bytes per child VCN: clusters when blocks are at least a cluster, else 512 bytes.
    let vcnShift: Int
    let allocation: NTFSStream?
    let bitmap: [UInt8]

    init(
        root: NTFSAttribute,
        allocation: NTFSStream?,
        bitmap: [UInt8],
        clusterSize: Int
    ) throws {
        what = "$INDEX_ROOT of MFT record \(root.recordNumber)"
        guard let value = root.value else {
            throw FileRestoreError(.damaged, "\(what) is not resident")
        }
        let bytes = NTFSBytes(value, what)
        let indexed = try bytes.u32(0, "indexed attribute type")
        guard indexed == NTFSAttribute.Kind.fileName else {
            throw FileRestoreError(
                .damaged,
                "\(what) indexes attribute type 0x\(String(indexed, radix: 16)), not names"
            )
        }
        let blockSize = Int(try bytes.u32(8, "index block size"))
        guard (512...65536).contains(blockSize), blockSize.nonzeroBitCount == 1 else {
            throw FileRestoreError(.damaged, "\(what): index block size \(blockSize) is not a power of two 512...65536")
        }
        self.blockSize = blockSize
        vcnShift = blockSize >= clusterSize ? clusterSize.trailingZeroBitCount : 9
        rootEntries = try NTFSIndexNode.entries(bytes, header: 0x10)
        self.allocation = allocation
        self.bitmap = bitmap
    }

    /// The entries of the index record at child VCN `vcn`, checked against the bitmap and its own VCN.
    func node(_ source: any ByteSource, vcn: UInt64) async throws -> [NTFSIndexEntry] {
        let recordWhat = "index record at VCN \(vcn) of the folder in \(what.dropFirst("$INDEX_ROOT of ".count))"
        guard let allocation else {
            throw FileRestoreError(.damaged, "\(recordWhat): the folder has no $INDEX_ALLOCATION")
        }
        guard vcn <= (UInt64.max >> vcnShift) else {
            throw FileRestoreError(.damaged, "\(recordWhat): the VCN is out of range")
        }
        let offset = vcn << vcnShift
        guard offset % UInt64(blockSize) == 0, offset < allocation.size,
            UInt64(blockSize) <= allocation.size - offset
        else {
            throw FileRestoreError(
                .damaged,
                "\(recordWhat): offset \(offset) is not a block inside the \(allocation.size)-byte index allocation"
            )
        }
        let block = offset / UInt64(blockSize)
        let byte = Int(block / 8)
        guard byte < bitmap.count, bitmap[byte] & (1 << (block % 8)) != 0 else {
            throw FileRestoreError(.damaged, "\(recordWhat): the index bitmap marks the record unused")
        }
        var raw = try await allocation.read(source, at: offset, count: blockSize)
        guard raw.count == blockSize else {
            throw FileRestoreError(.damaged, "\(recordWhat): the index allocation ends inside the record")
        }
        try NTFSFixups.apply(&raw, magic: "INDX", what: recordWhat)
        let bytes = NTFSBytes(raw, recordWhat)
        let recorded = try bytes.u64(0x10, "record VCN")
        guard recorded == vcn else {
            throw FileRestoreError(.damaged, "\(recordWhat): the record says it is at VCN \(recorded)")
        }
        return try NTFSIndexNode.entries(bytes, header: 0x18)
    }
}
