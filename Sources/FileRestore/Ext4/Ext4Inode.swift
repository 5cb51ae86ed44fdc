import Foundation

/// One ext4 inode, with the fields file-level restore uses.
struct Ext4Inode: Sendable {
    var number: UInt64
    var mode: UInt16
    var uid: UInt32
    var gid: UInt32
    var size: UInt64
    var linkCount: UInt16
    var flags: UInt32
    /// The 60 bytes of `i_block`: block map, extent tree root, inline data or a fast symlink's target.
    var blockArea: [UInt8]
    var accessed: Date
    var changed: Date
    var modified: Date
    var created: Date?
    /// The bytes after the 128-byte base inode and its extra fields: in-inode extended attributes.
    var extendedAttributes: [UInt8]

    static let flagExtents: UInt32 = 0x80000
    static let flagInlineData: UInt32 = 0x1000_0000
    static let flagEncrypted: UInt32 = 0x800

    var kind: FileKind {
        switch mode & 0xF000 {
        case 0x8000: .regular
        case 0x4000: .directory
        case 0xA000: .symlink
        default: .other
        }
    }

    init(number: UInt64, bytes: [UInt8]) throws {
        self.number = number
        mode = bytes.u16(0x0)
        uid = UInt32(bytes.u16(0x2)) | UInt32(bytes.u16(0x78)) << 16
        gid = UInt32(bytes.u16(0x18)) | UInt32(bytes.u16(0x7A)) << 16
        size = UInt64(bytes.u32(0x4)) | UInt64(bytes.u32(0x6C)) << 32
        linkCount = bytes.u16(0x1A)
        flags = bytes.u32(0x20)
        blockArea = bytes.bytes(0x28, 60)
        var extra = 0
        if bytes.count > 128 {
            extra = Int(bytes.u16(0x80))
            guard extra % 4 == 0, 128 + extra <= bytes.count else {
                throw FileRestoreError(.damaged, "inode \(number) has an invalid extra size (\(extra) bytes)")
            }
        }
        func time(_ offset: Int, extraAt extraOffset: Int) -> Date {
            var seconds = Double(Int32(bitPattern: bytes.u32(offset)))
            var nanoseconds = 0.0
            if extraOffset + 4 <= 128 + extra {
                let field = bytes.u32(extraOffset)
                seconds += Double(UInt64(field & 3) << 32)
                nanoseconds = Double(field >> 2)
            }
            return Date(timeIntervalSince1970: seconds + nanoseconds / 1e9)
        }
        accessed = time(0x8, extraAt: 0x8C)
        changed = time(0xC, extraAt: 0x84)
        modified = time(0x10, extraAt: 0x88)
        created = 0x94 <= 128 + extra ? time(0x90, extraAt: 0x94) : nil
        extendedAttributes = 128 + extra < bytes.count ? Array(bytes[(128 + extra)...]) : []
    }

    /// The value of the in-inode extended attribute `system.<name>` (inline data lives in `system.data`).
    func systemAttribute(_ name: String) -> [UInt8]? {
        let area = extendedAttributes
        guard area.u32(0) == 0xEA02_0000 else { return nil }
        let wanted = Array(name.utf8)
        var offset = 4
        while offset + 16 <= area.count {
            let nameLength = Int(area.u8(offset))
            let index = area.u8(offset + 1)
            if nameLength == 0 && index == 0 && area.u32(offset) == 0 { break }
            let valueOffset = Int(area.u16(offset + 2))
            let valueSize = Int(area.u32(offset + 8))
            let entryName = area.bytes(offset + 16, nameLength)
            if index == 7, entryName == wanted {
                guard valueOffset + 4 <= area.count, valueSize <= area.count - 4 - valueOffset else { return nil }
                return area.bytes(4 + valueOffset, valueSize)
            }
            offset += (16 + nameLength + 3) & ~3
        }
        return nil
    }

    func entry(named name: String) -> FileEntry {
        FileEntry(
            name: name,
            identity: number,
            kind: kind,
            size: size,
            mode: UInt32(mode),
            uid: uid,
            gid: gid,
            modified: modified,
            accessed: accessed,
            changed: changed,
            created: created,
            linkCount: UInt32(linkCount)
        )
    }
}
