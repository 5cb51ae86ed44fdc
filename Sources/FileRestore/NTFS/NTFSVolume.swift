/// An opened NTFS volume: the boot sector, the `$MFT`'s own stream and the case-folding table, with the
/// record, file and folder loading everything else builds on.
struct NTFSVolume: Sendable {
    static let mftRecord: UInt64 = 0
    static let upcaseRecord: UInt64 = 10
    static let rootRecord: UInt64 = 5

    let source: any ByteSource
    let boot: NTFSBootSector
    let mft: NTFSStream
    let upcase: NTFSUpcase

    var clusterSize: Int { boot.clusterSize }
    /// The number of records the MFT holds.
    var recordCount: UInt64 { mft.size / UInt64(boot.recordSize) }

    /// Opens the volume in `source`: validates the boot sector and locates the MFT through its own runlist.
    init(_ source: any ByteSource) async throws {
        guard source.size >= 512 else {
            throw FileRestoreError(.damaged, "NTFS: the partition holds only \(source.size) bytes, no boot sector")
        }
        let boot = try NTFSBootSector(try await source.read(at: 0, count: 512), sourceSize: source.size)
        let recordSize = boot.recordSize
        let first = boot.mftCluster * UInt64(boot.clusterSize)
        let zero = try NTFSRecord(
            try await source.read(at: first, count: recordSize),
            number: Self.mftRecord,
            clusterCount: boot.clusterCount
        )
        var extents = zero.attributes.filter { $0.type == NTFSAttribute.Kind.data && $0.name.isEmpty }
        guard !extents.isEmpty, extents.allSatisfy({ $0.nonResident != nil }) else {
            throw FileRestoreError(.damaged, "MFT record 0 ($MFT) has no non-resident unnamed $DATA")
        }
        // A fragmented $MFT keeps further runlist extents in extension records its attribute list names;
        // each is read through the extents found so far.
        if let list = zero.attributes.first(where: { $0.type == NTFSAttribute.Kind.attributeList }) {
            let partial = try NTFSStream(extents, clusterSize: boot.clusterSize, partial: true)
            let listStream = try NTFSStream([list], clusterSize: boot.clusterSize)
            let value = try await Self.readWhole(listStream, source, limit: NTFSLimits.attributeListBytes)
            let entries = try NTFSAttributeListEntry.parse(value, what: "$ATTRIBUTE_LIST of MFT record 0")
                .filter { $0.type == NTFSAttribute.Kind.data && $0.name.isEmpty && $0.recordNumber != 0 }
                .sorted { $0.startVCN < $1.startVCN }
            guard entries.count <= NTFSLimits.extensionRecords else {
                throw FileRestoreError(.limitExceeded, "$ATTRIBUTE_LIST of MFT record 0 names too many extents")
            }
            var stream = partial
            for entry in entries {
                let offset = entry.recordNumber.multipliedReportingOverflow(by: UInt64(recordSize))
                guard !offset.overflow else {
                    throw FileRestoreError(.damaged, "$MFT extent record \(entry.recordNumber) is out of range")
                }
                let record = try NTFSRecord(
                    try await stream.read(source, at: offset.partialValue, count: recordSize),
                    number: entry.recordNumber,
                    clusterCount: boot.clusterCount
                )
                guard record.baseRecord == 0 else {
                    throw FileRestoreError(
                        .damaged,
                        "MFT record \(entry.recordNumber) holds an $MFT extent but belongs to record \(record.baseRecord)"
                    )
                }
                extents += record.attributes.filter { $0.type == NTFSAttribute.Kind.data && $0.name.isEmpty }
                stream = try NTFSStream(extents, clusterSize: boot.clusterSize, partial: true)
            }
        }
        let mft = try NTFSStream(extents, clusterSize: boot.clusterSize)
        guard mft.size >= UInt64(recordSize) * 16 else {
            throw FileRestoreError(.damaged, "$MFT: \(mft.size) bytes cannot hold the 16 system records")
        }
        let bare = NTFSVolume(source: source, boot: boot, mft: mft, upcase: NTFSUpcase(nil))
        // The case-folding table is the volume's own; a missing or damaged one falls back to simple upper-casing.
        let table = try? await Self.loadUpcase(bare)
        self = NTFSVolume(source: source, boot: boot, mft: mft, upcase: NTFSUpcase(table))
    }

    private init(source: any ByteSource, boot: NTFSBootSector, mft: NTFSStream, upcase: NTFSUpcase) {
        self.source = source
        self.boot = boot
        self.mft = mft
        self.upcase = upcase
    }

    private static func loadUpcase(_ volume: NTFSVolume) async throws -> [UInt8]? {
        let file = try await volume.file(upcaseRecord)
        guard let stream = try file.stream(NTFSAttribute.Kind.data, clusterSize: volume.clusterSize) else { return nil }
        return try await readWhole(stream, volume.source, limit: 2 * 65536)
    }

    /// The whole of a small stream; fails past `limit` bytes.
    static func readWhole(_ stream: NTFSStream, _ source: any ByteSource, limit: Int) async throws -> [UInt8] {
        guard stream.size <= UInt64(limit) else {
            throw FileRestoreError(.limitExceeded, "\(stream.what): \(stream.size) bytes is more than \(limit)")
        }
        return try await stream.read(source, at: 0, count: Int(stream.size))
    }

    /// MFT record `number`, fixed up and parsed.
    func record(_ number: UInt64) async throws -> NTFSRecord {
        guard number < recordCount else {
            throw FileRestoreError(.damaged, "MFT record \(number) lies past the MFT's \(recordCount) records")
        }
        let raw = try await mft.read(source, at: number * UInt64(boot.recordSize), count: boot.recordSize)
        return try NTFSRecord(raw, number: number, clusterCount: boot.clusterCount)
    }

    /// The file whose base record is `number`, with attributes from all its extension records.
    func file(_ number: UInt64, sequence: UInt16? = nil) async throws -> NTFSFile {
        let base = try await record(number)
        guard base.inUse else {
            throw FileRestoreError(.damaged, "MFT record \(number) is not in use (a folder names a deleted file)")
        }
        guard base.baseRecord == 0 else {
            throw FileRestoreError(.damaged, "MFT record \(number) is an extension of record \(base.baseRecord)")
        }
        if let sequence, sequence != 0, sequence != base.sequence {
            throw FileRestoreError(
                .damaged,
                "MFT record \(number) has sequence number \(base.sequence), but a folder names sequence \(sequence)"
            )
        }
        let lists = base.attributes.filter { $0.type == NTFSAttribute.Kind.attributeList }
        guard let list = lists.first else { return NTFSFile(record: base, attributes: base.attributes) }
        guard lists.count == 1 else {
            throw FileRestoreError(.damaged, "MFT record \(number) has \(lists.count) attribute lists")
        }
        let what = "$ATTRIBUTE_LIST of MFT record \(number)"
        let value = try await Self.readWhole(
            try NTFSStream([list], clusterSize: clusterSize),
            source,
            limit: NTFSLimits.attributeListBytes
        )
        let entries = try NTFSAttributeListEntry.parse(value, what: what)
        var others: [UInt64] = []
        for entry in entries where entry.recordNumber != number && !others.contains(entry.recordNumber) {
            others.append(entry.recordNumber)
            guard others.count <= NTFSLimits.extensionRecords else {
                throw FileRestoreError(.limitExceeded, "\(what) names more than \(NTFSLimits.extensionRecords) records")
            }
        }
        var attributes = base.attributes.filter { $0.type != NTFSAttribute.Kind.attributeList }
        for other in others {
            let extension_ = try await record(other)
            guard extension_.inUse, extension_.baseRecord == number else {
                throw FileRestoreError(
                    .damaged,
                    "\(what) names MFT record \(other), which belongs to record \(extension_.baseRecord), not to it"
                )
            }
            guard !extension_.attributes.contains(where: { $0.type == NTFSAttribute.Kind.attributeList }) else {
                throw FileRestoreError(.damaged, "MFT record \(other), an extension record, has an attribute list")
            }
            attributes += extension_.attributes
        }
        for entry in entries {
            guard
                attributes.contains(where: {
                    $0.recordNumber == entry.recordNumber && $0.type == entry.type && $0.id == entry.id
                })
            else {
                throw FileRestoreError(
                    .damaged,
                    "\(what) names \(NTFSAttribute.Kind.name(entry.type)) id \(entry.id) in MFT record "
                        + "\(entry.recordNumber), which does not hold it"
                )
            }
        }
        return NTFSFile(record: base, attributes: attributes)
    }

    /// The file-name index of the folder `file`.
    func directoryIndex(_ file: NTFSFile) async throws -> NTFSDirectoryIndex {
        guard let root = file.attributes(NTFSAttribute.Kind.indexRoot, name: "$I30").first else {
            throw FileRestoreError(.damaged, "MFT record \(file.number) is a folder without a $INDEX_ROOT \"$I30\"")
        }
        let allocation = try file.stream(NTFSAttribute.Kind.indexAllocation, name: "$I30", clusterSize: clusterSize)
        var bitmap: [UInt8] = []
        if let stream = try file.stream(NTFSAttribute.Kind.bitmap, name: "$I30", clusterSize: clusterSize) {
            bitmap = try await Self.readWhole(stream, source, limit: NTFSLimits.metadataBytes)
        }
        return try NTFSDirectoryIndex(root: root, allocation: allocation, bitmap: bitmap, clusterSize: clusterSize)
    }
}
