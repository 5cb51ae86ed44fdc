import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo stats`: how much the repository holds and how much space it takes.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show the repository's size: restore points, packs, and the space saved."
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var output: OutputOptions

    /// What `stats --json` prints.
    struct Report: Encodable {
        var repository: String
        var id: String
        var blockSize: Int
        var compressionLevel: Int
        var encryption: String
        var restorePoints: Int
        var logicalBytes: Int64
        var packs: Int
        var packBytes: Int64
        var objects: Int
        var storedBytes: Int64
    }

    mutating func run() async throws {
        let opened = try await repository.open()
        let points = try await opened.listRestorePoints()
        var objects = 0
        var storedBytes: Int64 = 0
        var packs = 0
        var packBytes: Int64 = 0
        for try await object in opened.store.objects(prefix: "") {
            objects += 1
            storedBytes += object.size
            if object.key.hasPrefix("packs/") {
                packs += 1
                packBytes += object.size
            }
        }
        let config = opened.config
        let report = Report(
            repository: opened.store.location,
            id: config.id,
            blockSize: config.blockSize,
            compressionLevel: config.compressionLevel,
            encryption: config.encryption,
            restorePoints: points.count,
            logicalBytes: points.reduce(0) { $0 + $1.diskSize },
            packs: packs,
            packBytes: packBytes,
            objects: objects,
            storedBytes: storedBytes
        )
        try output.emit(report) {
            let saving =
                report.logicalBytes > 0
                ? String(format: "%.1f×", Double(report.logicalBytes) / Double(max(report.storedBytes, 1))) : "-"
            return """
                repository     \(config.id) at \(report.repository)
                settings       \(Units.bytes(Int64(config.blockSize))) blocks, zstd level \(config.compressionLevel), \
                \(config.isEncrypted ? "AES-256-GCM" : "unencrypted")
                restore points \(report.restorePoints), \(Units.bytes(report.logicalBytes)) of disks in total
                stored         \(Units.bytes(report.storedBytes)) in \(report.objects) objects \
                (\(Units.bytes(report.packBytes)) in \(report.packs) packs)
                reduction      \(saving) (disk bytes per stored byte, after dedup, compression and zero blocks)
                """
        }
    }
}
