/// Update-sequence fix-ups: NTFS writes a sequence number into the last two bytes of every 512-byte
/// stride of a multi-sector record (MFT and index records) and keeps the real bytes in an array.
enum NTFSFixups {
    /// The stride fix-ups protect, whatever the sector size.
    static let stride = 512

    /// Checks `magic` and every stride's sequence number, then puts the real bytes back.
    static func apply(_ record: inout [UInt8], magic: String, what: String) throws {
        let bytes = NTFSBytes(record, what)
        guard record.count >= 48, record[0..<4].elementsEqual(Array(magic.utf8)) else {
            throw FileRestoreError(.damaged, "\(what): the signature is not \"\(magic)\"")
        }
        let arrayOffset = Int(try bytes.u16(4, "update sequence offset"))
        let arrayCount = Int(try bytes.u16(6, "update sequence count"))
        let strides = record.count / stride
        guard arrayCount == strides + 1, arrayOffset >= 8, arrayOffset % 2 == 0 else {
            throw FileRestoreError(
                .damaged,
                "\(what): the update sequence array (offset \(arrayOffset), \(arrayCount) entries) does not fit a "
                    + "record of \(record.count) bytes"
            )
        }
        try bytes.check(arrayOffset, arrayCount * 2, "update sequence array")
        let sequence = try bytes.u16(arrayOffset, "update sequence number")
        for index in 0..<strides {
            let end = (index + 1) * stride - 2
            let found = try bytes.u16(end, "sector \(index) sequence number")
            guard found == sequence else {
                throw FileRestoreError(
                    .damaged,
                    "\(what): sector \(index) carries update sequence number \(found), not \(sequence) "
                        + "(a torn or damaged write)"
                )
            }
            let original = arrayOffset + 2 * (index + 1)
            record[end] = record[original]
            record[end + 1] = record[original + 1]
        }
    }
}
