/// One attribute of an MFT record, with its value (resident) or its runlist (non-resident).
struct NTFSAttribute: Sendable {
    /// The attribute types this reader knows by name.
    enum Kind {
        static let standardInformation: UInt32 = 0x10
        static let attributeList: UInt32 = 0x20
        static let fileName: UInt32 = 0x30
        static let data: UInt32 = 0x80
        static let indexRoot: UInt32 = 0x90
        static let indexAllocation: UInt32 = 0xA0
        static let bitmap: UInt32 = 0xB0
        static let reparsePoint: UInt32 = 0xC0
        static let end: UInt32 = 0xFFFF_FFFF

        /// The type's name as NTFS documentation writes it.
        static func name(_ type: UInt32) -> String {
            switch type {
            case standardInformation: "$STANDARD_INFORMATION"
            case attributeList: "$ATTRIBUTE_LIST"
            case fileName: "$FILE_NAME"
            case data: "$DATA"
            case indexRoot: "$INDEX_ROOT"
            case indexAllocation: "$INDEX_ALLOCATION"
            case bitmap: "$BITMAP"
            case reparsePoint: "$REPARSE_POINT"
            default: "attribute 0x\(String(type, radix: 16))"
            }
        }
    }

    /// Attribute flags.
    enum Flags {
        static let compressed: UInt16 = 0x0001
        static let encrypted: UInt16 = 0x4000
        static let sparse: UInt16 = 0x8000
    }

    /// What a non-resident attribute's header says about its stream.
    struct NonResident: Sendable {
        /// The first and last virtual cluster this extent maps (`lastVCN` is `startVCN - 1` when empty).
        let startVCN: UInt64
        let lastVCN: Int64
        /// Log2 of the clusters per compression unit (0: not compressed).
        let compressionUnit: Int
        /// Sizes from the first extent's header (later extents carry zeros).
        let allocatedSize: UInt64
        let dataSize: UInt64
        let initializedSize: UInt64
        /// The runs this extent maps.
        let runs: [NTFSRun]
    }

    let type: UInt32
    /// The attribute's name (`""` for the unnamed stream, `"$I30"` for a file-name index).
    let name: String
    let flags: UInt16
    let id: UInt16
    /// The record the attribute was read from.
    let recordNumber: UInt64
    /// The value of a resident attribute.
    let value: [UInt8]?
    /// The stream of a non-resident attribute.
    let nonResident: NonResident?

    /// How error messages name it: "$DATA of MFT record 42".
    var what: String {
        let named = name.isEmpty ? "" : " \"\(name)\""
        return "\(Kind.name(type))\(named) of MFT record \(recordNumber)"
    }
}

extension NTFSAttribute {
    /// Parses the attribute at `offset` of a fixed-up record; returns it and its length.
    static func parse(
        _ record: NTFSBytes,
        at offset: Int,
        recordNumber: UInt64,
        clusterCount: UInt64
    ) throws -> (attribute: NTFSAttribute, length: Int) {
        let type = try record.u32(offset, "attribute type")
        let where_ = "\(Kind.name(type)) at offset \(offset)"
        let length = Int(try record.u32(offset + 4, "\(where_) length"))
        guard length >= 24, length % 8 == 0, offset + length <= record.count else {
            throw FileRestoreError(
                .damaged,
                "\(record.what): \(where_) has length \(length), not a multiple of 8 inside the record"
            )
        }
        let attribute = NTFSBytes(try record.slice(offset, length, where_), "\(Kind.name(type)) of \(record.what)")
        let nonResident = try attribute.u8(8, "non-resident flag")
        let nameLength = Int(try attribute.u8(9, "name length"))
        let nameOffset = Int(try attribute.u16(10, "name offset"))
        let name = String(ntfsName: try attribute.utf16(nameOffset, units: nameLength, "name"))
        let flags = try attribute.u16(12, "flags")
        let id = try attribute.u16(14, "attribute id")
        switch nonResident {
        case 0:
            let valueLength = Int(try attribute.u32(16, "value length"))
            let valueOffset = Int(try attribute.u16(20, "value offset"))
            let value = try attribute.slice(valueOffset, valueLength, "resident value")
            let parsed = NTFSAttribute(
                type: type,
                name: name,
                flags: flags,
                id: id,
                recordNumber: recordNumber,
                value: value,
                nonResident: nil
            )
            return (parsed, length)
        case 1:
            guard length >= 64 else {
                throw FileRestoreError(
                    .damaged,
                    "\(attribute.what): a non-resident header needs 64 bytes, has \(length)"
                )
            }
            let startVCN = try attribute.u64(16, "starting VCN")
            let lastVCN = Int64(bitPattern: try attribute.u64(24, "last VCN"))
            let runsOffset = Int(try attribute.u16(32, "runlist offset"))
            let compressionUnit = Int(try attribute.u16(34, "compression unit"))
            let allocatedSize = try attribute.u64(40, "allocated size")
            let dataSize = try attribute.u64(48, "data size")
            let initializedSize = try attribute.u64(56, "initialized size")
            guard startVCN <= UInt64(Int64.max), lastVCN >= Int64(startVCN) - 1 else {
                throw FileRestoreError(
                    .damaged,
                    "\(attribute.what): the VCN range \(startVCN)...\(lastVCN) is inverted"
                )
            }
            guard compressionUnit <= 16 else {
                throw FileRestoreError(.damaged, "\(attribute.what): compression unit 2^\(compressionUnit) is invalid")
            }
            guard runsOffset >= 64, runsOffset <= length else {
                throw FileRestoreError(.damaged, "\(attribute.what): the runlist offset \(runsOffset) is invalid")
            }
            let runs = try NTFSRunlist.decode(
                Array(attribute.bytes[runsOffset...]),
                startVCN: startVCN,
                lastVCN: lastVCN,
                clusterCount: clusterCount,
                what: attribute.what
            )
            let parsed = NTFSAttribute(
                type: type,
                name: name,
                flags: flags,
                id: id,
                recordNumber: recordNumber,
                value: nil,
                nonResident: NonResident(
                    startVCN: startVCN,
                    lastVCN: lastVCN,
                    compressionUnit: compressionUnit,
                    allocatedSize: allocatedSize,
                    dataSize: dataSize,
                    initializedSize: initializedSize,
                    runs: runs
                )
            )
            return (parsed, length)
        default:
            throw FileRestoreError(.damaged, "\(attribute.what): the non-resident flag is \(nonResident), not 0 or 1")
        }
    }
}
