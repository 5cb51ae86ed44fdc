import Dispatch
import FileRestore

/// Opens the input as an NTFS volume and walks it the way the CLI would: every failure must be a
/// `FileRestoreError`, and nothing may crash, hang or grow without bound.
enum FuzzNTFS {
    /// The most entries, folders deep and bytes per file one input is explored for.
    static let entriesPerFolder = 64
    static let depth = 4
    static let bytesPerFile = 256 << 10

    static func exercise(_ bytes: [UInt8]) async {
        let source = ZeroExtendedSource(bytes, size: max(UInt64(bytes.count), 2 << 20))
        guard let reader = try? await NTFSReader(source) else { return }
        guard let root = try? await reader.root() else { return }
        await explore(reader, root, depth: 0)
        _ = try? await reader.lookup("/A/b/C")
    }

    private static func explore(_ reader: NTFSReader, _ folder: FileEntry, depth: Int) async {
        guard depth < Self.depth, let entries = try? await reader.list(folder) else { return }
        for (index, entry) in entries.prefix(entriesPerFolder).enumerated() {
            if index % 16 == 0 { _ = try? await reader.lookup("/" + entry.name) }
            switch entry.kind {
            case .directory:
                await explore(reader, entry, depth: depth + 1)
            case .symlink:
                _ = try? await reader.readLink(entry)
            case .regular, .other:
                var offset: UInt64 = 0
                while offset < min(entry.size, UInt64(bytesPerFile)) {
                    guard let part = try? await reader.read(entry, at: offset, count: 65536), !part.isEmpty else {
                        break
                    }
                    offset += UInt64(part.count)
                }
            }
        }
    }

    /// Runs `exercise` to completion from a synchronous caller (libFuzzer's callback).
    static func runBlocking(_ bytes: [UInt8]) {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            await exercise(bytes)
            done.signal()
        }
        done.wait()
    }
}

/// The input as a disk: bytes past its end read as zeros up to `size`, so seeds need not carry the
/// image's zero tail.
struct ZeroExtendedSource: ByteSource {
    let bytes: [UInt8]
    let size: UInt64

    init(_ bytes: [UInt8], size: UInt64) {
        self.bytes = bytes
        self.size = size
    }

    func read(at offset: UInt64, count: Int) async throws -> [UInt8] {
        try ByteSourceBounds.check(offset: offset, count: count, size: size)
        var result = [UInt8](repeating: 0, count: count)
        if offset < UInt64(bytes.count) {
            let start = Int(offset)
            let end = min(bytes.count, start + count)
            result.replaceSubrange(0..<end - start, with: bytes[start..<end])
        }
        return result
    }
}
