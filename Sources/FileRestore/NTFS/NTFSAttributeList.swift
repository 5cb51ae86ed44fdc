/// One entry of an `$ATTRIBUTE_LIST`: where (which MFT record) an attribute, or one extent of it, lives.
struct NTFSAttributeListEntry: Sendable, Equatable {
    let type: UInt32
    let name: String
    let startVCN: UInt64
    /// The record holding the attribute.
    let recordNumber: UInt64
    let sequence: UInt16
    let id: UInt16

    /// Parses a whole attribute list value.
    static func parse(_ value: [UInt8], what: String) throws -> [NTFSAttributeListEntry] {
        let bytes = NTFSBytes(value, what)
        var entries: [NTFSAttributeListEntry] = []
        var offset = 0
        while offset + 26 <= value.count {
            let type = try bytes.u32(offset, "entry type")
            let length = Int(try bytes.u16(offset + 4, "entry length"))
            guard length >= 26, length % 8 == 0, offset + length <= value.count else {
                throw FileRestoreError(
                    .damaged,
                    "\(what): the entry at offset \(offset) has length \(length), outside the list's \(value.count) bytes"
                )
            }
            let nameLength = Int(try bytes.u8(offset + 6, "name length"))
            let nameOffset = Int(try bytes.u8(offset + 7, "name offset"))
            guard nameOffset + nameLength * 2 <= length else {
                throw FileRestoreError(.damaged, "\(what): the entry at offset \(offset) has a name past its end")
            }
            let name = String(ntfsName: try bytes.utf16(offset + nameOffset, units: nameLength, "name"))
            let reference = try bytes.u64(offset + 16, "record reference")
            entries.append(
                NTFSAttributeListEntry(
                    type: type,
                    name: name,
                    startVCN: try bytes.u64(offset + 8, "starting VCN"),
                    recordNumber: NTFSReference.number(reference),
                    sequence: NTFSReference.sequence(reference),
                    id: try bytes.u16(offset + 24, "attribute id")
                )
            )
            offset += length
        }
        return entries
    }
}
