/// The bytes of one attribute (a file's `$DATA`, a directory's `$INDEX_ALLOCATION`), resident or
/// assembled from the runlists of all its extents, with sparse and compressed runs.
struct NTFSStream: Sendable {
    /// How error messages name it.
    let what: String
    /// The logical size.
    let size: UInt64
    /// Bytes past this read as zeros.
    let initializedSize: UInt64
    /// The value of a resident attribute.
    let resident: [UInt8]?
    /// The runs of a non-resident attribute, sorted and contiguous from VCN 0.
    let runs: [NTFSRun]
    /// Clusters per compression unit, or 0 when the stream is not compressed.
    let compressionUnitClusters: Int
    let clusterSize: Int

    /// A stream of the attribute `extents` (one resident attribute, or every extent of a non-resident one);
    /// a `partial` one may map fewer clusters than its size (the `$MFT` while its extents are being found).
    init(_ extents: [NTFSAttribute], clusterSize: Int, partial: Bool = false) throws {
        guard let first = extents.first else {
            throw FileRestoreError(.damaged, "an attribute has no extents")
        }
        what = first.what
        self.clusterSize = clusterSize
        if let value = first.value {
            guard extents.count == 1 else {
                throw FileRestoreError(.damaged, "\(first.what): a resident attribute appears in several extents")
            }
            resident = value
            size = UInt64(value.count)
            initializedSize = size
            runs = []
            compressionUnitClusters = 0
            return
        }
        var parts: [NTFSAttribute.NonResident] = []
        for extent in extents {
            guard let part = extent.nonResident else {
                throw FileRestoreError(.damaged, "\(extent.what): resident and non-resident extents are mixed")
            }
            parts.append(part)
        }
        parts.sort { $0.startVCN < $1.startVCN }
        var runs: [NTFSRun] = []
        var nextVCN: UInt64 = 0
        for part in parts {
            guard part.startVCN == nextVCN else {
                throw FileRestoreError(
                    .damaged,
                    "\(first.what): an extent starts at VCN \(part.startVCN) where VCN \(nextVCN) was expected"
                )
            }
            guard runs.count + part.runs.count <= NTFSLimits.runsPerStream else {
                throw FileRestoreError(
                    .limitExceeded,
                    "\(first.what): the runlists have more than \(NTFSLimits.runsPerStream) runs"
                )
            }
            runs += part.runs
            nextVCN = UInt64(part.lastVCN + 1)
        }
        let head = parts[0]
        let mapped = nextVCN.multipliedReportingOverflow(by: UInt64(clusterSize))
        guard !mapped.overflow, head.initializedSize <= head.dataSize, partial || head.dataSize <= mapped.partialValue
        else {
            throw FileRestoreError(
                .damaged,
                "\(first.what): initialized size \(head.initializedSize) and data size \(head.dataSize) do not fit "
                    + "the \(nextVCN) clusters its runlist maps"
            )
        }
        if first.flags & NTFSAttribute.Flags.encrypted != 0 {
            throw FileRestoreError(.unsupported, "\(first.what): the file is encrypted (EFS); it cannot be read")
        }
        var unitClusters = 0
        if first.flags & NTFSAttribute.Flags.compressed != 0 {
            guard head.compressionUnit > 0, clusterSize << head.compressionUnit <= 2 << 20 else {
                throw FileRestoreError(
                    .damaged,
                    "\(first.what): compressed with compression unit 2^\(head.compressionUnit) clusters of "
                        + "\(clusterSize) bytes"
                )
            }
            unitClusters = 1 << head.compressionUnit
        }
        self.runs = runs
        self.resident = nil
        self.size = head.dataSize
        self.initializedSize = head.initializedSize
        self.compressionUnitClusters = unitClusters
    }

    /// Reads up to `count` bytes from `offset` (fewer only at the end); holes read as zeros.
    func read(_ source: any ByteSource, at offset: UInt64, count: Int) async throws -> [UInt8] {
        guard count >= 0 else {
            throw FileRestoreError(.outOfBounds, "\(what): a read of \(count) bytes")
        }
        guard offset < size, count > 0 else { return [] }
        let length = Int(min(UInt64(count), size - offset))
        if let resident {
            let start = Int(offset)
            return Array(resident[start..<start + length])
        }
        var output = [UInt8](repeating: 0, count: length)
        if compressionUnitClusters > 0 {
            try await readCompressed(source, at: offset, into: &output)
        } else {
            try await readPlain(source, at: offset, into: &output)
        }
        return output
    }

    /// The index of the run holding `vcn`, or `nil` past the runlist.
    func runIndex(holding vcn: UInt64) -> Int? {
        var low = 0
        var high = runs.count
        while low < high {
            let middle = (low + high) / 2
            if runs[middle].vcn + runs[middle].length <= vcn { low = middle + 1 } else { high = middle }
        }
        return low < runs.count && runs[low].vcn <= vcn ? low : nil
    }

    private func readPlain(_ source: any ByteSource, at offset: UInt64, into output: inout [UInt8]) async throws {
        let cluster = UInt64(clusterSize)
        let end = min(offset + UInt64(output.count), initializedSize)
        var position = offset
        while position < end {
            let vcn = position / cluster
            guard let index = runIndex(holding: vcn) else {
                throw FileRestoreError(.damaged, "\(what): byte \(position) lies past the clusters its runlist maps")
            }
            let run = runs[index]
            let runEnd = (run.vcn + run.length) * cluster
            let pieceEnd = min(end, runEnd)
            let piece = Int(pieceEnd - position)
            if let lcn = run.lcn {
                let disk = lcn * cluster + (position - run.vcn * cluster)
                let bytes = try await source.read(at: disk, count: piece)
                let start = Int(position - offset)
                output.replaceSubrange(start..<start + piece, with: bytes)
            }
            position = pieceEnd
        }
    }

    private func readCompressed(_ source: any ByteSource, at offset: UInt64, into output: inout [UInt8]) async throws {
        let unitBytes = UInt64(clusterSize * compressionUnitClusters)
        let end = min(offset + UInt64(output.count), initializedSize)
        var unit = offset / unitBytes
        while unit * unitBytes < end {
            let unitStart = unit * unitBytes
            let decoded = try await compressionUnit(source, number: unit)
            let from = max(offset, unitStart)
            let to = min(end, unitStart + unitBytes)
            if from < to {
                let slice = decoded[Int(from - unitStart)..<Int(to - unitStart)]
                let start = Int(from - offset)
                output.replaceSubrange(start..<start + slice.count, with: slice)
            }
            unit += 1
        }
    }

    /// The decoded bytes of compression unit `number`: stored as is when all its clusters are allocated,
    /// zeros when none is, else LZNT1 data in its allocated clusters.
    private func compressionUnit(_ source: any ByteSource, number: UInt64) async throws -> [UInt8] {
        let cluster = UInt64(clusterSize)
        let unitBytes = clusterSize * compressionUnitClusters
        let firstVCN = number * UInt64(compressionUnitClusters)
        let lastVCN = firstVCN + UInt64(compressionUnitClusters)
        var pieces: [(disk: UInt64, count: Int)] = []
        var holes = 0
        var vcn = firstVCN
        while vcn < lastVCN {
            guard let index = runIndex(holding: vcn) else {
                // The runlist may end inside the last unit: treat the rest as unallocated.
                holes += Int(lastVCN - vcn)
                break
            }
            let run = runs[index]
            let take = min(lastVCN, run.vcn + run.length) - vcn
            if let lcn = run.lcn {
                pieces.append((disk: (lcn + vcn - run.vcn) * cluster, count: Int(take * cluster)))
            } else {
                holes += Int(take)
            }
            vcn += take
        }
        if pieces.isEmpty { return [UInt8](repeating: 0, count: unitBytes) }
        var stored: [UInt8] = []
        stored.reserveCapacity(unitBytes)
        for piece in pieces { stored += try await source.read(at: piece.disk, count: piece.count) }
        if holes == 0 { return stored }
        var decoded = try NTFSLZNT1.decompress(stored, limit: unitBytes, what: "\(what), compression unit \(number)")
        if decoded.count < unitBytes { decoded += [UInt8](repeating: 0, count: unitBytes - decoded.count) }
        return decoded
    }
}

extension NTFSStream {
    /// The stream of a file without `$DATA`: no bytes.
    static func empty(what: String) -> NTFSStream {
        NTFSStream(what: what, resident: [])
    }

    private init(what: String, resident: [UInt8]) {
        self.what = what
        self.size = UInt64(resident.count)
        self.initializedSize = size
        self.resident = resident
        self.runs = []
        self.compressionUnitClusters = 0
        self.clusterSize = 512
    }
}
