import Foundation
import Logging

@testable import BackupRepository

/// A small repository in a scratch folder with helpers to back up generated images and check restores.
///
/// Small blocks (4 KiB), the smallest packs (1 MiB) and a small tree fanout make a few MiB of data
/// spread over many packs and tree levels, which is what garbage collection needs to be exercised.
struct MaintenanceFixture: Sendable {
    static let password = "maintenance test password"

    let folder: ScratchFolder
    let store: LocalFolderStore
    let repository: Repository

    static func make(
        blockSize: Int = 4096,
        packTargetSize: Int = 1 << 20,
        label: String = "nimbus-maint",
        logger: Logger = Logger(label: "nimbus.tests", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> MaintenanceFixture {
        let folder = try ScratchFolder(label)
        let store = try LocalFolderStore(root: folder.url.appendingPathComponent("repo").path)
        var options = Repository.CreateOptions()
        options.blockSize = blockSize
        options.packTargetSize = packTargetSize
        options.treeFanout = 16
        options.scrypt = .weakForTesting
        let repository = try await Repository.create(
            store: store,
            password: password,
            options: options,
            logger: logger
        )
        return MaintenanceFixture(folder: folder, store: store, repository: repository)
    }

    /// Options for prune in tests: no grace period, clock of the test.
    static func pruneOptions(ratio: Double = 0.5) -> PruneOptions {
        var options = PruneOptions()
        options.grace = GarbageGrace(minimumAge: 0, clockSkew: 0)
        options.repackBelowLiveRatio = ratio
        return options
    }

    /// Writes `image` to a file and backs it up (the backup takes its shared lock itself), stamped `created`
    /// when given. With `dedupCapacity` 0 every block is stored again, in new packs.
    func backup(
        _ image: Data,
        parent: RestorePointID? = nil,
        changed: [ByteRange]? = nil,
        metadata: [String: Any] = [:],
        name: String = UUID().uuidString,
        dedupCapacity: Int = 4_000_000,
        created: Date? = nil
    ) async throws -> RestorePointID {
        let path = folder.url.appendingPathComponent("image-\(name)").path
        try image.write(to: URL(fileURLWithPath: path))
        let source = try FileDiskSource(path: path)
        var options = BackupOptions(
            parent: parent,
            changedRanges: changed,
            metadata: try JSONSerialization.data(withJSONObject: metadata),
            concurrency: 4,
            dedupCapacity: dedupCapacity
        )
        if let created { options.now = { created } }
        let result = try await repository.backup(source: source, options: options)
        try? FileManager.default.removeItem(atPath: path)
        return result.restorePoint.id
    }

    /// The restored bytes of a restore point.
    func restored(_ id: RestorePointID) async throws -> Data {
        let path = folder.url.appendingPathComponent("restored-\(id.hex)").path
        try await repository.restore(id, toFile: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Every object key of the store with its size, for before/after comparisons.
    func objects(prefix: String = "") async throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for try await object in store.objects(prefix: prefix) { result[object.key] = object.size }
        return result
    }

    /// The total size of all packs.
    func packBytes() async throws -> Int64 {
        try await objects(prefix: "packs/").values.reduce(0, +)
    }

    func remove() { folder.remove() }
}

/// Generated disk images.
enum TestImages {
    /// Incompressible bytes from a seed.
    static func random(_ size: Int, seed: UInt64) -> Data {
        var generator = SplitMix(seed: seed)
        var bytes = [UInt8](repeating: 0, count: size)
        var index = 0
        while index < size {
            var word = generator.next()
            for _ in 0..<8 where index < size {
                bytes[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        return Data(bytes)
    }

    /// Overwrites `count` scattered 4 KiB-aligned blocks of `image` with new random data and returns the ranges.
    static func mutate(_ image: inout Data, blocks count: Int, seed: UInt64) -> [ByteRange] {
        var generator = SplitMix(seed: seed)
        let blockCount = image.count / 4096
        var ranges: [ByteRange] = []
        for _ in 0..<count {
            let block = Int(generator.next() % UInt64(blockCount))
            let fresh = random(4096, seed: generator.next())
            image.replaceSubrange(block * 4096..<(block + 1) * 4096, with: fresh)
            ranges.append(ByteRange(offset: Int64(block * 4096), length: 4096))
        }
        return ranges
    }
}
