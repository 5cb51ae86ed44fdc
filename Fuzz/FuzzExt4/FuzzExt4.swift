import FileRestore
import Foundation
import FuzzSupport

/// libFuzzer entry point: opens the input as an ext4 file system and reads what it finds below the root.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExt4(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let source = InMemoryByteSource(Array(UnsafeBufferPointer(start: data, count: size)))
    FuzzRunner.runBlocking {
        guard let fileSystem = try? await Ext4Reader(source), let root = try? await fileSystem.root() else { return }
        var pending = [root]
        var visited = 0
        while let folder = pending.popLast(), visited < 64 {
            visited += 1
            guard let entries = try? await fileSystem.list(folder) else { continue }
            for entry in entries.prefix(64) {
                switch entry.kind {
                case .directory: pending.append(entry)
                case .regular: _ = try? await fileSystem.read(entry, at: 0, count: 1 << 16)
                case .symlink: _ = try? await fileSystem.readLink(entry)
                case .other: break
                }
            }
        }
        _ = try? await fileSystem.lookup("/a/b/c")
    }
    return 0
}

#if !FUZZING
/// Without libFuzzer: runs the entry point once for each file named on the command line (replaying a crash).
@main enum ReplayExt4 {
    static func main() throws { try FuzzRunner.replay(fuzzExt4) }
}
#endif
