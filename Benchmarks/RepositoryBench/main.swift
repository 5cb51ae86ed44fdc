import BackupRepository
import Foundation

// A small harness measuring the engine alone: codec ceiling, full backup, restore, at several block sizes.
// Usage: RepositoryBench [size-in-MiB] [work-folder]

let arguments = CommandLine.arguments
let sizeMiB = arguments.count > 1 ? Int(arguments[1]) ?? 512 : 512
let folder = arguments.count > 2 ? arguments[2] : NSTemporaryDirectory() + "/nimbus-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: folder) }

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func folderSize(_ path: String) -> Int64 {
    var total: Int64 = 0
    if let walker = FileManager.default.enumerator(atPath: path) {
        for case let name as String in walker {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
            if attributes?[.type] as? FileAttributeType == .typeRegular {
                total += (attributes?[.size] as? NSNumber)?.int64Value ?? 0
            }
        }
    }
    return total
}

/// A mixed image: about 35% zeros, 30% random, 35% text-like, in 64 KiB–4 MiB extents.
func mixedImage(bytes: Int) -> Data {
    var state: UInt64 = 0x1234_5678_9ABC_DEF1
    func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    let words = Array("the of and disk block nimbus azure backup restore snapshot system kernel file data ".utf8)
    var image = [UInt8](repeating: 0, count: bytes)
    var offset = 0
    while offset < bytes {
        let extent = min(bytes - offset, 65_536 + Int(next() % UInt64(4 << 20 - 65_536)))
        let pick = next() % 100
        if pick < 35 {
            // zeros
        } else if pick < 65 {
            var index = offset
            while index < offset + extent {
                var word = next()
                for _ in 0..<8 where index < offset + extent {
                    image[index] = UInt8(truncatingIfNeeded: word)
                    word >>= 8
                    index += 1
                }
            }
        } else {
            var index = offset
            while index < offset + extent {
                let start = Int(next() % UInt64(words.count - 12))
                for byte in words[start..<start + 12] where index < offset + extent {
                    image[index] = byte
                    index += 1
                }
            }
        }
        offset += extent
    }
    return Data(image)
}

let image = mixedImage(bytes: sizeMiB << 20)
let imagePath = folder + "/disk.img"
try image.write(to: URL(fileURLWithPath: imagePath))
print("image: \(sizeMiB) MiB mixed, \(ProcessInfo.processInfo.activeProcessorCount) cores")

let scryptStart = ContinuousClock.now
let scryptStore = try LocalFolderStore(root: folder + "/scrypt")
_ = try await Repository.create(store: scryptStore, password: "benchmark")
print(String(format: "scrypt N=2^16 r=8 p=1 create: %.2f s", seconds(ContinuousClock.now - scryptStart)))

print("block  level  ceiling-1core  stored     backup     backup-MB/s  repo-size   restore")
for level in [1, 3] {
    for blockSize in [64 << 10, 128 << 10, 256 << 10] {
        let ceiling = try CodecCeiling.measure(image, blockSize: blockSize, compressionLevel: level)
        var options = Repository.CreateOptions()
        options.blockSize = blockSize
        options.compressionLevel = level
        options.scrypt = .weakForTesting
        let root = folder + "/repo-\(blockSize)-\(level)"
        let repository = try await Repository.create(
            store: LocalFolderStore(root: root),
            password: "benchmark",
            options: options
        )
        let started = ContinuousClock.now
        let result = try await repository.backup(source: FileDiskSource(path: imagePath))
        let backupSeconds = seconds(ContinuousClock.now - started)
        let restoreStart = ContinuousClock.now
        try await repository.restore(result.restorePoint.id, toFile: folder + "/restored.img")
        let restoreSeconds = seconds(ContinuousClock.now - restoreStart)
        let line = String(
            format: "%4d K  %5d  %8.0f MB/s  %7.1f MB  %6.2f s  %8.0f     %7.1f MB  %6.2f s",
            blockSize >> 10,
            level,
            Double(image.count) / ceiling.seconds / 1e6,
            Double(ceiling.storedBytes) / 1e6,
            backupSeconds,
            Double(image.count) / backupSeconds / 1e6,
            Double(folderSize(root)) / 1e6,
            restoreSeconds
        )
        print(line)
        try? FileManager.default.removeItem(atPath: root)
    }
}
