/// A run of a non-resident attribute: `length` clusters from virtual cluster `vcn`, stored from logical
/// cluster `lcn`, or a hole (sparse, or the unused tail of a compression unit) when `lcn` is `nil`.
struct NTFSRun: Sendable, Equatable {
    let vcn: UInt64
    let lcn: UInt64?
    let length: UInt64
}

/// Decoding of the mapping pairs that store a runlist.
enum NTFSRunlist {
    /// Decodes the runs of one extent and checks they map exactly `startVCN...lastVCN` inside the volume.
    static func decode(
        _ bytes: [UInt8],
        startVCN: UInt64,
        lastVCN: Int64,
        clusterCount: UInt64,
        what: String
    ) throws -> [NTFSRun] {
        var runs: [NTFSRun] = []
        var position = 0
        var vcn = startVCN
        var lcn: Int64 = 0
        while position < bytes.count, bytes[position] != 0 {
            let header = bytes[position]
            let lengthSize = Int(header & 0x0F)
            let offsetSize = Int(header >> 4)
            guard (1...8).contains(lengthSize), offsetSize <= 8, position + 1 + lengthSize + offsetSize <= bytes.count
            else {
                throw FileRestoreError(.damaged, "\(what): runlist entry \(runs.count) has an invalid header \(header)")
            }
            guard runs.count < NTFSLimits.runsPerStream else {
                throw FileRestoreError(
                    .limitExceeded,
                    "\(what): the runlist has more than \(NTFSLimits.runsPerStream) runs"
                )
            }
            let length = signedField(bytes, from: position + 1, size: lengthSize)
            guard length > 0 else {
                throw FileRestoreError(.damaged, "\(what): runlist entry \(runs.count) has length \(length)")
            }
            let next = vcn.addingReportingOverflow(UInt64(length))
            guard !next.overflow, next.partialValue <= UInt64(Int64.max) else {
                throw FileRestoreError(.damaged, "\(what): runlist entry \(runs.count) overflows the VCN range")
            }
            if offsetSize == 0 {
                runs.append(NTFSRun(vcn: vcn, lcn: nil, length: UInt64(length)))
            } else {
                let delta = signedField(bytes, from: position + 1 + lengthSize, size: offsetSize)
                let moved = lcn.addingReportingOverflow(delta)
                guard !moved.overflow, moved.partialValue >= 0,
                    UInt64(moved.partialValue) < clusterCount,
                    UInt64(length) <= clusterCount - UInt64(moved.partialValue)
                else {
                    throw FileRestoreError(
                        .damaged,
                        "\(what): runlist entry \(runs.count) (\(length) clusters, offset \(delta)) lies outside the "
                            + "volume's \(clusterCount) clusters"
                    )
                }
                lcn = moved.partialValue
                runs.append(NTFSRun(vcn: vcn, lcn: UInt64(lcn), length: UInt64(length)))
            }
            vcn = next.partialValue
            position += 1 + lengthSize + offsetSize
        }
        guard Int64(vcn) - 1 == lastVCN else {
            throw FileRestoreError(
                .damaged,
                "\(what): the runlist maps VCNs \(startVCN)..<\(vcn) but the header says \(startVCN)...\(lastVCN)"
            )
        }
        return runs
    }

    /// A little-endian two's-complement integer of `size` (1...8) bytes.
    private static func signedField(_ bytes: [UInt8], from start: Int, size: Int) -> Int64 {
        var value: UInt64 = 0
        for index in (0..<size).reversed() { value = value << 8 | UInt64(bytes[start + index]) }
        if size < 8, bytes[start + size - 1] & 0x80 != 0 {
            value |= ~0 << UInt64(size * 8)
        }
        return Int64(bitPattern: value)
    }
}
