/// One MFT record ("FILE"), fixed up and split into its attributes.
struct NTFSRecord: Sendable {
    enum Flags {
        static let inUse: UInt16 = 0x0001
        static let directory: UInt16 = 0x0002
    }

    /// The record's number in the MFT.
    let number: UInt64
    /// The sequence number, which file references carry to detect reuse.
    let sequence: UInt16
    let linkCount: UInt16
    let flags: UInt16
    /// The base record's number if this is an extension record, else 0.
    let baseRecord: UInt64
    let attributes: [NTFSAttribute]

    var inUse: Bool { flags & Flags.inUse != 0 }
    var isDirectory: Bool { flags & Flags.directory != 0 }

    /// Parses record `number` from its raw bytes (one record size long).
    init(_ raw: [UInt8], number: UInt64, clusterCount: UInt64) throws {
        let what = "MFT record \(number)"
        var fixed = raw
        try NTFSFixups.apply(&fixed, magic: "FILE", what: what)
        let bytes = NTFSBytes(fixed, what)
        sequence = try bytes.u16(0x10, "sequence number")
        linkCount = try bytes.u16(0x12, "link count")
        let firstAttribute = Int(try bytes.u16(0x14, "first attribute offset"))
        flags = try bytes.u16(0x16, "flags")
        let used = Int(try bytes.u32(0x18, "bytes in use"))
        baseRecord = try bytes.u64(0x20, "base record reference") & NTFSReference.numberMask
        guard used <= fixed.count, firstAttribute >= 0x2A, firstAttribute + 4 <= used, firstAttribute % 8 == 0
        else {
            throw FileRestoreError(
                .damaged,
                "\(what): \(used) bytes in use with the first attribute at \(firstAttribute) do not fit its "
                    + "\(fixed.count) bytes"
            )
        }
        let inUseBytes = NTFSBytes(Array(fixed[0..<used]), what)
        var attributes: [NTFSAttribute] = []
        var offset = firstAttribute
        while true {
            let type = try inUseBytes.u32(offset, "attribute type at offset \(offset)")
            if type == NTFSAttribute.Kind.end { break }
            let (attribute, length) = try NTFSAttribute.parse(
                inUseBytes,
                at: offset,
                recordNumber: number,
                clusterCount: clusterCount
            )
            attributes.append(attribute)
            offset += length
        }
        self.number = number
        self.attributes = attributes
    }
}

/// A file reference: a 48-bit record number and a 16-bit sequence number.
enum NTFSReference {
    static let numberMask: UInt64 = 0x0000_FFFF_FFFF_FFFF

    static func number(_ reference: UInt64) -> UInt64 { reference & numberMask }
    static func sequence(_ reference: UInt64) -> UInt16 { UInt16(truncatingIfNeeded: reference >> 48) }
}
