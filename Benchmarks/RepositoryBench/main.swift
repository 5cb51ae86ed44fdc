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
    duration.inSeconds
}

/// User + system CPU seconds of this process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
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

print("block  level  ceiling-1core  stored     backup     backup-MB/s  backup-cpu  cpu-efficiency  repo-size   restore")
for level in [1, 3] {
    for blockSize in [64 << 10, 128 << 10, 256 << 10] {
        let ceilingCPUBefore = cpuSeconds()
        let ceiling = try CodecCeiling.measure(image, blockSize: blockSize, compressionLevel: level)
        let ceilingCPU = cpuSeconds() - ceilingCPUBefore
        var options = Repository.CreateOptions()
        options.blockSize = blockSize
        options.compressionLevel = level
        options.scrypt = ScryptParameters(n: 1 << 10, r: 8, p: 1)  // key derivation is not what is measured
        let root = folder + "/repo-\(blockSize)-\(level)"
        let repository = try await Repository.create(
            store: LocalFolderStore(root: root),
            password: "benchmark",
            options: options
        )
        try image.write(to: URL(fileURLWithPath: imagePath))
        let started = ContinuousClock.now
        let cpuBefore = cpuSeconds()
        let result = try await repository.backup(source: FileDiskSource(path: imagePath))
        let backupSeconds = seconds(ContinuousClock.now - started)
        let backupCPU = cpuSeconds() - cpuBefore
        let restoreStart = ContinuousClock.now
        try await repository.restore(result.restorePoint.id, toFile: folder + "/restored.img")
        let restoreSeconds = seconds(ContinuousClock.now - restoreStart)
        let line = String(
            format:
                "%4d K  %5d  %8.0f MB/s  %7.1f MB  %6.2f s  %8.0f     %6.2f s    %5.0f %%         %7.1f MB  %6.2f s",
            blockSize >> 10,
            level,
            Double(image.count) / ceilingCPU / 1e6,
            Double(ceiling.storedBytes) / 1e6,
            backupSeconds,
            Double(image.count) / backupSeconds / 1e6,
            backupCPU,
            ceilingCPU / backupCPU * 100,
            Double(folderSize(root)) / 1e6,
            restoreSeconds
        )
        print(line)
        // Incremental: 1% of the image rewritten in scattered 4–256 KiB writes, backed up with the ranges.
        var state: UInt64 = 0xDEAD_BEEF_1234_5678
        var ranges: [ByteRange] = []
        var written = 0
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: imagePath))
        while written < image.count / 100 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = 4096 + Int(state >> 33) % (252 << 10)
            let offset = Int(state >> 20) % (image.count - length)
            try handle.seek(toOffset: UInt64(offset))
            var noise = state
            let bytes = (0..<length).map { _ in
                noise = noise &* 6_364_136_223_846_793_005 &+ 1
                return UInt8(truncatingIfNeeded: noise >> 56)
            }
            try handle.write(contentsOf: Data(bytes))
            ranges.append(ByteRange(offset: Int64(offset), length: Int64(length)))
            written += length
        }
        try handle.close()
        let sizeBefore = folderSize(root)
        let incrementalStart = ContinuousClock.now
        let incremental = try await repository.backup(
            source: FileDiskSource(path: imagePath),
            options: BackupOptions(parent: result.restorePoint.id, changedRanges: ranges)
        )
        print(
            String(
                format: "         incremental (%d writes, %.1f MB): %.2f s, read %.1f MB, growth %.1f MB",
                ranges.count,
                Double(written) / 1e6,
                seconds(ContinuousClock.now - incrementalStart),
                Double(incremental.statistics.bytesRead) / 1e6,
                Double(folderSize(root) - sizeBefore) / 1e6
            )
        )
        try? FileManager.default.removeItem(atPath: root)
    }
}
