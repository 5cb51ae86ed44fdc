import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo restore-image --repo DIR RP out.img [--disk os|LUN] [--offset N --length N]`.
struct RestoreImageCommand: StoppableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore-image",
        abstract: "Restore a disk image (or a byte range of it) from a restore point.",
        discussion: """
            A whole image is written as a sparse file (zero blocks become holes). With --offset and/or \
            --length, only that byte range of the disk is written, at the start of the output file. A VM \
            restore point holds several disks: choose one with --disk (os, or a data disk's LUN).
            """
    )

    static let afterInterruption =
        "the restore stopped and released its lock; the output file was left as it was "
        + "(a block device keeps the blocks written so far)"

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The restore point: an ID, a unique prefix of one, or 'latest'.")
    var restorePoint: String

    @Argument(help: "The file to write (replaced if it exists).")
    var output: String

    @Option(
        help: ArgumentHelp(
            "The disk to restore: os, or a data disk's LUN (default: the only disk).",
            valueName: "os|LUN"
        )
    )
    var disk: String?

    @Option(help: ArgumentHelp("The first byte of the disk to restore (default 0).", valueName: "bytes"))
    var offset: String?

    @Option(help: ArgumentHelp("How many bytes to restore (default: to the end of the disk).", valueName: "bytes"))
    var length: String?

    @OptionGroup var format: OutputOptions

    /// What `restore-image --json` prints.
    struct Report: Encodable {
        var id: String
        var disk: String
        var output: String
        var offset: Int64
        var length: Int64
        var bytesFetched: Int64
        var blocksRead: Int
        var seconds: Double
    }

    mutating func run() async throws {
        let slot = try disk.map(Self.parseSlot)
        let first = try offset.map(Self.parseBytes) ?? 0
        let count = try length.map(Self.parseBytes)
        let opened = try await repository.open()
        let point = try await opened.restorePoint(named: restorePoint)
        let chosen = try Self.choose(slot, of: point)
        let started = ContinuousClock.now
        let restored: RestoreStatistics
        let range: ByteRange
        if offset == nil && length == nil {
            range = ByteRange(offset: 0, length: chosen.size)
            let progress = ProgressBar(label: "restoring", total: chosen.size, enabled: format.showsProgress)
            restored = try await opened.restore(point.id, disk: chosen.slot, toFile: output) { totals in
                progress.update(completed: totals.bytesRestored)
            }
            progress.finish()
        } else {
            range = try Self.range(offset: first, length: count, diskSize: chosen.size)
            restored = try await Self.restoreRange(
                range,
                of: point,
                disk: chosen.slot,
                from: opened,
                to: output,
                showsProgress: format.showsProgress
            )
        }
        let elapsed = ContinuousClock.now - started
        let seconds = elapsed.inSeconds
        let report = Report(
            id: point.id.hex,
            disk: chosen.slot.description,
            output: output,
            offset: range.offset,
            length: range.length,
            bytesFetched: restored.bytesFetched,
            blocksRead: restored.blocksRead,
            seconds: seconds
        )
        try format.emit(report) {
            "restored \(Units.bytes(range.length)) of disk \(chosen.slot) of restore point \(point.id.hex.prefix(12)) "
                + "to \(output) "
                + "in \(Units.duration(seconds)) (\(Units.bytes(restored.bytesFetched)) fetched)"
        }
    }

    private static func restoreRange(
        _ range: ByteRange,
        of point: RestorePoint,
        disk: VMDiskSlot,
        from repository: Repository,
        to path: String,
        showsProgress: Bool
    ) async throws -> RestoreStatistics {
        let writer = try await RestoreWriter.open(path)
        do {
            let progress = ProgressBar(label: "restoring", total: range.length, enabled: showsProgress)
            var written: Int64 = 0
            let totals = try await repository.restore(point.id, disk: disk, range: range) { piece in
                try await writer.write(piece, at: written)
                written += Int64(piece.count)
                progress.update(completed: written)
            }
            progress.finish()
            try await writer.finish(size: range.length)
            return totals
        } catch {
            await writer.discard()
            throw error
        }
    }

    /// The byte range `--offset`/`--length` name, checked against the disk before any arithmetic with them.
    static func range(offset: Int64, length: Int64?, diskSize: Int64) throws -> ByteRange {
        guard offset <= diskSize else {
            throw ValidationError("--offset \(offset) lies beyond the disk's end (\(diskSize) bytes)")
        }
        let available = diskSize - offset
        if let length, length > available {
            throw ValidationError(
                "--length \(length) reaches beyond the disk's end: at most \(available) bytes follow offset \(offset) "
                    + "(the disk has \(diskSize) bytes)"
            )
        }
        return ByteRange(offset: offset, length: length ?? available)
    }

    /// The disk `slot` names (`nil`: the only one), or a clear error listing the disks there are.
    static func choose(_ slot: VMDiskSlot?, of point: RestorePoint) throws -> RestorePointDisk {
        if let slot, let disk = point.disks.first(where: { $0.slot == slot }) { return disk }
        if slot == nil, point.disks.count == 1, let only = point.disks.first { return only }
        let list = point.disks.map { disk in
            let name = point.vm?.disks.first { $0.slot == disk.slot }.map { " (\($0.name))" } ?? ""
            return "\(disk.slot)\(name), \(Units.bytes(disk.size))"
        }
        let what = slot.map { "has no disk \($0)" } ?? "holds \(point.disks.count) disks"
        throw ValidationError(
            "restore point \(point.id.hex.prefix(12)) \(what); choose one with --disk: \(list.joined(separator: "; "))"
        )
    }

    static func parseSlot(_ text: String) throws -> VMDiskSlot {
        guard let slot = VMDiskSlot(text) else {
            throw ValidationError("--disk '\(text)' is neither os nor a LUN from 0 to 63")
        }
        return slot
    }

    private static func parseBytes(_ text: String) throws -> Int64 {
        guard let value = Units.parseSize(text), value >= 0 else {
            throw ValidationError("'\(text)' is not a byte count: write e.g. 1048576 or 1MiB")
        }
        return value
    }
}
