extension NTFSReader {
    /// The entry describing `file` under `name`.
    func entry(_ file: NTFSFile, name: String) async throws -> FileEntry {
        let information = try file.standardInformation
        var times = information?.times
        if times == nil, let value = try file.value(NTFSAttribute.Kind.fileName) {
            times = try NTFSFileName(value, what: "$FILE_NAME of MFT record \(file.number)").times
        }
        var kind: FileKind = file.record.isDirectory ? .directory : .regular
        var size: UInt64 = 0
        if let point = try await reparsePoint(file) {
            kind = point.isLink ? .symlink : .other
        }
        if kind == .regular, let data = file.attributes(NTFSAttribute.Kind.data).first {
            size = try data.value.map { UInt64($0.count) } ?? streamSize(data)
        }
        var links: UInt32 = 0
        for attribute in file.attributes(NTFSAttribute.Kind.fileName) {
            guard let value = attribute.value else {
                throw FileRestoreError(.damaged, "\(attribute.what) must be resident")
            }
            if try !NTFSFileName(value, what: attribute.what).isDOSOnly { links += 1 }
        }
        return FileEntry(
            name: name,
            identity: file.number,
            kind: kind,
            size: size,
            modified: times?.modified,
            accessed: times?.accessed,
            changed: times?.changed,
            created: times?.created,
            linkCount: links
        )
    }

    /// The data size from the first extent of a non-resident `$DATA`.
    private func streamSize(_ first: NTFSAttribute) throws -> UInt64 {
        guard let extent = first.nonResident else { return 0 }
        guard extent.startVCN == 0 else {
            throw FileRestoreError(.damaged, "\(first.what): the first extent listed starts at VCN \(extent.startVCN)")
        }
        return extent.dataSize
    }

    /// The file's reparse point, if it has one.
    func reparsePoint(_ file: NTFSFile) async throws -> NTFSReparsePoint? {
        guard let stream = try file.stream(NTFSAttribute.Kind.reparsePoint, clusterSize: volume.clusterSize) else {
            return nil
        }
        let value = try await NTFSVolume.readWhole(stream, volume.source, limit: NTFSLimits.metadataBytes)
        return try NTFSReparsePoint(value, what: stream.what)
    }
}
