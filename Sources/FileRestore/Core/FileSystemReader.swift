import Foundation

/// The kind of a file-system entry.
public enum FileKind: String, Sendable, Codable, Hashable {
    case regular
    case directory
    case symlink
    case other
}

/// What a directory listing or a lookup tells about one entry.
public struct FileEntry: Sendable, Hashable, Codable {
    /// The entry's name in its directory (UTF-8; NTFS names are converted from UTF-16).
    public var name: String
    /// The file system's own identity of the entry: the inode number (ext4) or the MFT record number (NTFS).
    public var identity: UInt64
    public var kind: FileKind
    /// The file's logical size in bytes (a symlink's target length for ext4).
    public var size: UInt64
    /// POSIX permission and type bits where the file system has them (ext4), else `nil`.
    public var mode: UInt32?
    public var uid: UInt32?
    public var gid: UInt32?
    public var modified: Date?
    public var accessed: Date?
    public var changed: Date?
    public var created: Date?
    /// The number of hard links, where the file system counts them.
    public var linkCount: UInt32?

    /// An entry; only name, identity, kind and size are required.
    public init(
        name: String,
        identity: UInt64,
        kind: FileKind,
        size: UInt64,
        mode: UInt32? = nil,
        uid: UInt32? = nil,
        gid: UInt32? = nil,
        modified: Date? = nil,
        accessed: Date? = nil,
        changed: Date? = nil,
        created: Date? = nil,
        linkCount: UInt32? = nil
    ) {
        self.name = name
        self.identity = identity
        self.kind = kind
        self.size = size
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.modified = modified
        self.accessed = accessed
        self.changed = changed
        self.created = created
        self.linkCount = linkCount
    }
}

/// A read-only file system over a ``ByteSource``: ext4, NTFS.
///
/// Paths are absolute, `/`-separated, and case-sensitive as the file system itself is (NTFS lookups
/// ignore case as Windows does). Every method bounds the memory and work it spends on hostile input.
public protocol FileSystemReader: Sendable {
    /// The file system's name as users know it: `"ext4"`, `"NTFS"`.
    var typeName: String { get }

    /// The root folder.
    func root() async throws -> FileEntry

    /// The entry at `path`, following no symlink in its last component (intermediate symlinks are not
    /// followed either: a path through a symlink is ``FileRestoreError/Code/notFound``).
    func lookup(_ path: String) async throws -> FileEntry

    /// The entries of the folder `directory`, without `.` and `..`, in the file system's own order.
    func list(_ directory: FileEntry) async throws -> [FileEntry]

    /// Reads up to `count` bytes of the regular file `file` from `offset` (fewer only at the end of the file);
    /// holes read as zeros.
    func read(_ file: FileEntry, at offset: UInt64, count: Int) async throws -> [UInt8]

    /// The target of the symlink `link`.
    func readLink(_ link: FileEntry) async throws -> String
}
