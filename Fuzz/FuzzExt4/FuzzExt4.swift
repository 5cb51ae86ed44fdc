import FileRestore
import Foundation
import FuzzSupport

/// libFuzzer entry point: opens the input as an ext4 file system and reads what it finds below the root.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExt4(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let source = InMemoryByteSource(FuzzRunner.bytes(data, size))
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

/// Runs libFuzzer (built with `-DFUZZING`) or replays the inputs named on the command line.
@main enum FuzzExt4Main {
    static func main() throws { try FuzzRunner.main(fuzzExt4) }
}
