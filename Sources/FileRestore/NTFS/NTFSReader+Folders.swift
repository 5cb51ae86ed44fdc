extension NTFSReader {
    /// Appends the entries of the B-tree under `entries` in index order, visiting each child node once.
    func walk(
        _ entries: [NTFSIndexEntry],
        index: NTFSDirectoryIndex,
        depth: Int,
        visited: inout Set<UInt64>,
        into names: inout [NTFSIndexEntry]
    ) async throws {
        for entry in entries {
            if let child = entry.child {
                let children = try await node(child, index: index, depth: depth, visited: &visited)
                try await walk(children, index: index, depth: depth + 1, visited: &visited, into: &names)
            }
            if entry.key != nil {
                guard names.count < NTFSLimits.entriesPerDirectory else {
                    throw FileRestoreError(
                        .limitExceeded,
                        "the folder in \(index.what) has more than \(NTFSLimits.entriesPerDirectory) names"
                    )
                }
                names.append(entry)
            }
        }
    }

    /// The index entry of the long name `name` in `folder` (ignoring case), found by searching its B-tree.
    func find(_ name: [UInt16], in folder: NTFSFile) async throws -> NTFSIndexEntry? {
        guard folder.record.isDirectory else { return nil }
        let index = try await volume.directoryIndex(folder)
        var entries = index.rootEntries
        var visited: Set<UInt64> = []
        var depth = 0
        while true {
            var next: UInt64?
            var descended = false
            for entry in entries {
                guard let key = entry.key else {
                    next = entry.child
                    descended = true
                    break
                }
                let order = volume.upcase.compare(name, key.units)
                if order == 0, !key.isDOSOnly { return entry }
                if order < 0 {
                    next = entry.child
                    descended = true
                    break
                }
            }
            guard descended, let child = next else { return nil }
            entries = try await node(child, index: index, depth: depth, visited: &visited)
            depth += 1
        }
    }

    /// The child node at `vcn`, refusing a node seen before (a loop) or one too deep.
    private func node(
        _ vcn: UInt64,
        index: NTFSDirectoryIndex,
        depth: Int,
        visited: inout Set<UInt64>
    ) async throws -> [NTFSIndexEntry] {
        guard depth < NTFSLimits.indexDepth else {
            throw FileRestoreError(.limitExceeded, "\(index.what): the index is deeper than \(NTFSLimits.indexDepth)")
        }
        guard visited.insert(vcn).inserted else {
            throw FileRestoreError(.damaged, "\(index.what): the index record at VCN \(vcn) is reached twice (a loop)")
        }
        guard visited.count <= NTFSLimits.indexRecordsPerDirectory else {
            throw FileRestoreError(.limitExceeded, "\(index.what): the index has too many records")
        }
        return try await index.node(volume.source, vcn: vcn)
    }
}
