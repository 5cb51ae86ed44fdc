import ArgumentParser
import BackupRepository
import FileRestore

/// A restore point, disk and partition as `RP[:disk[:partition]]` names them.
struct FileTarget {
    var restorePoint: String
    var disk: VMDiskSlot?
    var partition: Int?

    init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), !parts[0].isEmpty else {
            throw ValidationError(
                "'\(text)' is not RP[:disk[:partition]]: write e.g. latest, latest:os, latest:0 or latest:os:1"
            )
        }
        func number(_ index: Int, _ what: String) throws -> Int? {
            guard index < parts.count else { return nil }
            guard let value = Int(parts[index]), value >= 0 else {
                throw ValidationError("'\(parts[index])' in '\(text)' is not a \(what) number")
            }
            return value
        }
        restorePoint = parts[0]
        if parts.count > 1 {
            guard let slot = VMDiskSlot(parts[1]) else {
                throw ValidationError("'\(parts[1])' in '\(text)' is not a disk: write os or a LUN (0, 1, …)")
            }
            disk = slot
        }
        partition = try number(2, "partition")
    }

    /// Opens the repository, the restore point's disk under a shared lock, and the file system of the chosen
    /// partition, and runs `body` with them.
    func withFileSystem<T>(
        _ options: RepositoryOptions,
        _ body: (any FileSystemReader, Partition, DiskReader) async throws -> T
    ) async throws -> T {
        let repository = try await options.open()
        let point = try await repository.restorePoint(named: restorePoint)
        return try await repository.withDiskReader(point.id, disk: disk) { reader in
            let source = DiskReaderByteSource(reader)
            let partitions = try await PartitionTable.read(source)
            let partition = try await choose(from: partitions, on: source)
            let fileSystem = try await FileSystemProbe.open(try partition.source(on: source))
            return try await body(fileSystem, partition, reader)
        }
    }

    private func choose(from partitions: [Partition], on disk: any ByteSource) async throws -> Partition {
        if let partition {
            guard let found = partitions.first(where: { $0.number == partition }) else {
                throw CommandFailure(
                    .notFound,
                    "the disk has no partition \(partition); it has "
                        + partitions.map { String($0.number) }.joined(separator: ", ")
                        + " (see `nimbus repo files partitions`)"
                )
            }
            return found
        }
        var best: Partition?
        for candidate in partitions {
            guard let kind = await FileSystemProbe.detect(try candidate.source(on: disk)),
                ["ext2", "ext3", "ext4", "NTFS"].contains(kind)
            else { continue }
            if best == nil || candidate.size > best?.size ?? 0 { best = candidate }
        }
        guard let best else {
            if partitions.count == 1, let only = partitions.first { return only }
            throw CommandFailure(
                .notFound,
                "no partition holds a file system Nimbus reads (ext4, NTFS); choose one with RP:disk:partition "
                    + "(see `nimbus repo files partitions`)"
            )
        }
        return best
    }
}
