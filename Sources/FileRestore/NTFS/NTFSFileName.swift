/// `$FILE_NAME`: a name of a file in its parent folder, as attributes and directory index keys store it.
struct NTFSFileName: Sendable {
    /// The namespaces a name belongs to.
    enum Namespace {
        static let posix: UInt8 = 0
        static let win32: UInt8 = 1
        static let dos: UInt8 = 2
        static let win32AndDOS: UInt8 = 3
    }

    let parent: UInt64
    let times: NTFSTimes
    /// The size as last recorded in the name (often stale; the `$DATA` attribute is authoritative).
    let dataSize: UInt64
    let fileAttributes: UInt32
    let namespace: UInt8
    /// The name's UTF-16 code units.
    let units: [UInt16]

    var name: String { String(ntfsName: units) }
    /// Whether this is only the short 8.3 alias of a long name listed separately.
    var isDOSOnly: Bool { namespace == Namespace.dos }

    init(_ value: [UInt8], what: String) throws {
        let bytes = NTFSBytes(value, what)
        parent = try bytes.u64(0, "parent reference")
        times = try NTFSTimes(bytes, at: 8)
        dataSize = try bytes.u64(0x30, "data size")
        fileAttributes = try bytes.u32(0x38, "file attributes")
        let length = Int(try bytes.u8(0x40, "name length"))
        namespace = try bytes.u8(0x41, "namespace")
        guard length > 0, namespace <= Namespace.win32AndDOS else {
            throw FileRestoreError(.damaged, "\(what): a name of \(length) characters in namespace \(namespace)")
        }
        units = try bytes.utf16(0x42, units: length, "name")
    }
}
