/// `$REPARSE_POINT`: symlinks and junctions (reported as symlinks) and other tags (reported as `other`).
struct NTFSReparsePoint: Sendable {
    enum Tag {
        static let mountPoint: UInt32 = 0xA000_0003
        static let symlink: UInt32 = 0xA000_000C
    }

    let tag: UInt32
    /// The link's target, for symlinks and junctions: the print name, else the substitute name.
    let target: String?

    var isLink: Bool { target != nil }

    init(_ value: [UInt8], what: String) throws {
        let bytes = NTFSBytes(value, what)
        tag = try bytes.u32(0, "reparse tag")
        let dataLength = Int(try bytes.u16(4, "reparse data length"))
        try bytes.check(8, dataLength, "reparse data")
        guard tag == Tag.symlink || tag == Tag.mountPoint else {
            target = nil
            return
        }
        let buffer = tag == Tag.symlink ? 20 : 16
        let substituteOffset = Int(try bytes.u16(8, "substitute name offset"))
        let substituteLength = Int(try bytes.u16(10, "substitute name length"))
        let printOffset = Int(try bytes.u16(12, "print name offset"))
        let printLength = Int(try bytes.u16(14, "print name length"))
        let print = try bytes.utf16(buffer + printOffset, units: printLength / 2, "print name")
        let substitute = try bytes.utf16(buffer + substituteOffset, units: substituteLength / 2, "substitute name")
        target = String(ntfsName: print.isEmpty ? substitute : print)
    }

    /// A note for entries reported as `other`.
    var note: String {
        "reparse point with tag 0x\(String(tag, radix: 16)) (not a symlink or junction: e.g. a deduplicated, "
            + "cloud or WOF-compressed file); its data cannot be read"
    }
}
