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
        let totals = try await opened.statistics()
        let config = opened.config
        let report = Report(
            repository: opened.store.location,
            id: config.id,
            blockSize: config.blockSize,
            compressionLevel: config.compressionLevel,
            encryption: config.encryption,
            restorePoints: totals.restorePoints,
            logicalBytes: totals.logicalBytes,
            packs: totals.packs,
            packBytes: totals.packBytes,
            objects: totals.objects,
            storedBytes: totals.storedBytes
        )
        try output.emit(report) {
            let saving = totals.reduction.map { String(format: "%.1f×", $0) } ?? "-"
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
