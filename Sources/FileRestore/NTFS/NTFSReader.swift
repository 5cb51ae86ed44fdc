/// A read-only NTFS file system over a partition's bytes.
///
/// - Folders list their long (Win32 or POSIX) names; DOS-only 8.3 aliases are skipped, and so are the
///   volume's metadata files (`$MFT`, `$LogFile`, … records 0–15) in the root folder, though a lookup finds them.
/// - Lookups ignore case as Windows does, with the volume's own `$UpCase` table (simple upper-casing if it
///   is unreadable), by searching the folder's B-tree.
/// - Symlinks and junctions are ``FileKind/symlink`` (``readLink(_:)`` gives the print name, as Windows
///   stores it); other reparse points (deduplicated, cloud or WOF-compressed files) are ``FileKind/other``.
/// - Sparse and LZNT1-compressed files are read; encrypted (EFS) files and named streams are not.
/// - Times are those of `$STANDARD_INFORMATION`; ``FileEntry/changed`` is the MFT record's change time.
public struct NTFSReader: FileSystemReader {
    public var typeName: String { "NTFS" }

    let volume: NTFSVolume
    private let streams = NTFSStreamCache()

    /// Opens the NTFS volume in `source` (a partition), validating its boot sector and `$MFT`.
    public init(_ source: any ByteSource) async throws {
        volume = try await NTFSVolume(source)
    }

    public func root() async throws -> FileEntry {
        let file = try await volume.file(NTFSVolume.rootRecord)
        guard file.record.isDirectory else {
            throw FileRestoreError(.damaged, "MFT record 5, the root folder, is not a folder")
        }
        return try await entry(file, name: "/")
    }

    public func lookup(_ path: String) async throws -> FileEntry {
        let components = path.split(separator: "/").filter { $0 != "." }
        guard components.count <= NTFSLimits.pathComponents else {
            throw FileRestoreError(.limitExceeded, "the path \(path) has more than \(NTFSLimits.pathComponents) parts")
        }
        var current = try await root()
        for (index, component) in components.enumerated() {
            guard current.kind == .directory else {
                let walked = "/" + components[..<index].joined(separator: "/")
                throw FileRestoreError(.notFound, "\(path): \(walked) is not a folder")
            }
            let folder = try await volume.file(current.identity)
            guard let found = try await find(Array(String(component).utf16), in: folder) else {
                throw FileRestoreError(.notFound, "\(path): no \"\(component)\" in its folder")
            }
            let file = try await volume.file(
                NTFSReference.number(found.reference),
                sequence: NTFSReference.sequence(found.reference)
            )
            current = try await entry(file, name: found.key?.name ?? String(component))
        }
        return current
    }

    public func list(_ directory: FileEntry) async throws -> [FileEntry] {
        guard directory.kind == .directory else {
            throw FileRestoreError(.wrongType, "\(directory.name) is not a folder")
        }
        let folder = try await volume.file(directory.identity)
        guard folder.record.isDirectory else {
            throw FileRestoreError(.wrongType, "MFT record \(directory.identity) is not a folder")
        }
        let index = try await volume.directoryIndex(folder)
        var names: [NTFSIndexEntry] = []
        var visited: Set<UInt64> = []
        try await walk(index.rootEntries, index: index, depth: 0, visited: &visited, into: &names)
        var entries: [FileEntry] = []
        for found in names {
            guard let key = found.key, !key.isDOSOnly else { continue }
            let number = NTFSReference.number(found.reference)
            if number == folder.number { continue }
            if folder.number == NTFSVolume.rootRecord, number < 16 { continue }
            let file = try await volume.file(number, sequence: NTFSReference.sequence(found.reference))
            entries.append(try await entry(file, name: key.name))
        }
        return entries
    }

    public func read(_ file: FileEntry, at offset: UInt64, count: Int) async throws -> [UInt8] {
        if file.kind == .other, let point = try await reparsePoint(try await volume.file(file.identity)) {
            throw FileRestoreError(.unsupported, "\(file.name) (MFT record \(file.identity)) is a \(point.note)")
        }
        guard file.kind == .regular else {
            throw FileRestoreError(.wrongType, "\(file.name) (MFT record \(file.identity)) is not a regular file")
        }
        let stream: NTFSStream
        if let cached = streams.stream(file.identity) {
            stream = cached
        } else {
            let loaded = try await volume.file(file.identity)
            stream =
                try loaded.stream(NTFSAttribute.Kind.data, clusterSize: volume.clusterSize)
                ?? NTFSStream.empty(what: "$DATA of MFT record \(file.identity)")
            streams.store(stream, for: file.identity)
        }
        return try await stream.read(volume.source, at: offset, count: count)
    }

    public func readLink(_ link: FileEntry) async throws -> String {
        let file = try await volume.file(link.identity)
        guard let point = try await reparsePoint(file), let target = point.target else {
            throw FileRestoreError(
                .wrongType,
                "\(link.name) (MFT record \(link.identity)) is not a symlink or junction"
            )
        }
        return target
    }
}
