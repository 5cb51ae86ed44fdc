import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus demo`: the engine's whole cycle on a generated image, in a temporary folder.
///
/// It creates an encrypted repository, generates a mixed disk image, backs it up, changes 1% of it
/// with scattered writes, backs it up again reading only the changed ranges, restores both restore
/// points, proves them byte-identical to the images they came from, prints a short table and
/// removes everything.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Back up, change, back up again and restore a generated disk image, then clean up."
    )

    @Option(help: ArgumentHelp("The size of the generated disk image.", valueName: "size"))
    var size = "384MiB"

    @Option(
        help: ArgumentHelp(
            "Where to create the working folder (default: the system's temporary folder).",
            valueName: "dir"
        )
    )
    var workspace: String?

    @Flag(help: "Keep the working folder instead of removing it.")
    var keep = false

    mutating func run() async throws {
        guard let bytes = Units.parseSize(size), bytes > 0 else {
            throw ValidationError("'\(size)' is not a size: write e.g. 384MiB")
        }
        let parent = workspace.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory
        let folder = parent.appendingPathComponent("nimbus-demo-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(at: folder) } }
        let showsProgress = Terminal.standardErrorIsTerminal
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        print("Nimbus demo: the repository engine on a generated \(Units.bytes(bytes)) disk image")
        print("  working folder \(folder.path)\(keep ? "" : " (removed at the end)")\n")

        // 1. A disk image, and a copy of it to check the first restore against.
        let generator = ImageGenerator(size: bytes, seed: 2026)
        let generation = ProgressBar(label: "generating", total: bytes, enabled: showsProgress)
        let image = try await generator.write(to: path("disk.img")) { generation.update(completed: $0) }
        generation.finish()
        try FileManager.default.copyItem(atPath: path("disk.img"), toPath: path("disk-before.img"))
        print(
            "  disk image   \(Units.bytes(bytes)): \(Self.percent(image.zeroBytes, of: bytes)) zeros, "
                + "\(Self.percent(image.randomBytes, of: bytes)) random, \(Self.percent(image.textBytes, of: bytes)) text"
        )

        // 2. An encrypted repository.
        let store = try LocalFolderStore(root: path("repository"), create: true)
        let password = UUID().uuidString
        let repository = try await Repository.create(store: store, password: password, logger: Log.logger)
        print(
            "  repository   encrypted (AES-256-GCM), \(Units.bytes(Int64(repository.config.blockSize))) blocks, "
                + "zstd level \(repository.config.compressionLevel)"
        )

        // 3. Full backup.
        let full = try await Self.backup(
            path("disk.img"),
            into: repository,
            options: BackupOptions(metadata: Data(#"{"vm":"demo-vm","disk":"os"}"#.utf8)),
            label: "full backup",
            showsProgress: showsProgress
        )

        // 4. Change 1% of the disk with scattered writes, recording the ranges.
        let mutation = try await ImageMutator(percent: 1, seed: 7).mutate(path("disk.img"))
        print(
            "  changed      \(Units.bytes(mutation.ranges.byteCount)) of the disk in \(mutation.writes) "
                + "scattered writes (4-256 KiB each)\n"
        )

        // 5. Incremental backup reading only the changed ranges.
        let incremental = try await Self.backup(
            path("disk.img"),
            into: repository,
            options: BackupOptions(
                parent: full.restorePoint.id,
                changedRanges: mutation.ranges.ranges,
                metadata: Data(#"{"vm":"demo-vm","disk":"os"}"#.utf8)
            ),
            label: "incremental",
            showsProgress: showsProgress
        )

        // 6. Restore both points and compare them with the images they were taken from.
        let firstRestore = try await Self.restore(
            full.restorePoint.id,
            from: repository,
            to: path("restored-full.img"),
            showsProgress: showsProgress
        )
        let firstIdentical = try await FileComparison.identical(path("restored-full.img"), path("disk-before.img"))
        try? FileManager.default.removeItem(atPath: path("restored-full.img"))
        let secondRestore = try await Self.restore(
            incremental.restorePoint.id,
            from: repository,
            to: path("restored-incremental.img"),
            showsProgress: showsProgress
        )
        let secondIdentical = try await FileComparison.identical(path("restored-incremental.img"), path("disk.img"))

        var table = TextTable(header: ["step", "disk", "read", "stored", "time", "check"])
        for (label, result) in [("full backup", full), ("incremental backup", incremental)] {
            let totals = result.statistics
            table.rows.append([
                label, Units.bytes(totals.diskSize), Units.bytes(totals.bytesRead),
                Units.bytes(totals.bytesStored + totals.metadataBytesWritten), Units.duration(result.duration), "",
            ])
        }
        for (label, restored, identical) in [
            ("restore full", firstRestore, firstIdentical), ("restore incremental", secondRestore, secondIdentical),
        ] {
            table.rows.append([
                label, Units.bytes(restored.bytesRestored), Units.bytes(restored.bytesFetched), "",
                Units.duration(restored.duration), identical ? "byte-identical" : "DIFFERENT",
            ])
        }
        print(table.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        let repositoryBytes = Self.folderSize(path("repository"))
        print(
            "\n  repository   \(Units.bytes(repositoryBytes)) on disk for 2 restore points of \(Units.bytes(bytes)) each"
        )
        guard firstIdentical, secondIdentical else {
            throw CommandFailure(.damaged, "a restored image differs from its source: the demo failed")
        }
        print(keep ? "  kept \(folder.path)" : "  cleaned up")
    }

    private static func backup(
        _ image: String,
        into repository: Repository,
        options: BackupOptions,
        label: String,
        showsProgress: Bool
    ) async throws -> BackupResult {
        let source = try FileDiskSource(path: image)
        let progress = ProgressBar(label: label, total: source.size, enabled: showsProgress)
        var options = options
        options.progress = { totals in progress.update(completed: totals.bytesRead, total: totals.bytesToRead) }
        let result = try await repository.backup(source: source, options: options)
        progress.finish()
        return result
    }

    private static func restore(
        _ id: RestorePointID,
        from repository: Repository,
        to path: String,
        showsProgress: Bool
    ) async throws -> RestoreStatistics {
        let point = try await repository.restorePoint(id)
        let progress = ProgressBar(label: "restoring", total: point.diskSize, enabled: showsProgress)
        let totals = try await repository.restore(id, toFile: path) { progress.update(completed: $0.bytesRestored) }
        progress.finish()
        return totals
    }

    private static func percent(_ part: Int64, of whole: Int64) -> String {
        whole > 0 ? "\(Int((Double(part) * 100 / Double(whole)).rounded()))%" : "0%"
    }

    /// The bytes of all files below a folder.
    static func folderSize(_ path: String) -> Int64 {
        guard let walker = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total: Int64 = 0
        while let entry = walker.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + entry)
            if attributes?[.type] as? FileAttributeType == .typeRegular {
                total += (attributes?[.size] as? NSNumber)?.int64Value ?? 0
            }
        }
        return total
    }
}
