import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo backup-vm --repo DIR --config vm.json --disk os=os.img --disk 0=data0.img [--parent RP
/// --changed-ranges os=FILE]`: a VM restore point from local image files.
struct BackupVMCommand: StoppableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup-vm",
        abstract: "Back up a VM's disk images into one restore point with the VM's configuration.",
        discussion: """
            Each --disk names a slot (os, or a data disk's LUN) and the image file holding it. --config is the \
            VM's configuration as JSON (the `vm` object of docs/FORMAT.md); every disk must be one of its \
            disks. With --parent, --changed-ranges SLOT=FILE gives a disk's changed byte ranges since the \
            same disk of the parent (a JSON array of [offset, length] pairs): only those blocks are read. \
            Disks without changed ranges are read in full. The restore point is written once every disk is \
            stored.
            """
    )

    static let afterInterruption =
        "the backup stopped and released its lock; no restore point was written and the repository is valid "
        + "(the next backup reuses the packs already stored)"

    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("The VM's configuration, as a JSON file.", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("A disk and its image: os=FILE or LUN=FILE (repeatable).", valueName: "slot=file"))
    var disk: [String] = []

    @Option(
        help: ArgumentHelp("The restore point this backup continues from (ID, prefix or 'latest').", valueName: "id")
    )
    var parent: String?

    @Option(
        help: ArgumentHelp(
            "A disk's byte ranges changed since --parent: SLOT=FILE (repeatable).",
            valueName: "slot=file"
        )
    )
    var changedRanges: [String] = []

    @OptionGroup var metadata: MetadataOptions
    @OptionGroup var output: OutputOptions

    /// What `backup-vm --json` prints.
    struct Report: Encodable {
        var id: String
        var parent: String?
        var vm: String?
        var disks: [String]
        var diskSize: Int64
        var bytesRead: Int64
        var bytesStored: Int64
        var metadataBytesWritten: Int64
        var blocksNew: Int
        var blocksDeduplicated: Int
        var blocksZero: Int
        var blocksSkipped: Int64
        var packsWritten: Int
        var seconds: Double
    }

    func validate() throws {
        guard !disk.isEmpty else { throw ValidationError("give at least one --disk os=FILE or LUN=FILE") }
        if !changedRanges.isEmpty && parent == nil {
            throw ValidationError("--changed-ranges needs --parent: the ranges are changes since that restore point")
        }
    }

    mutating func run() async throws {
        let images = try Self.pairs(disk, option: "--disk")
        let rangeFiles = try Self.pairs(changedRanges, option: "--changed-ranges")
        for slot in rangeFiles.keys where images[slot] == nil {
            throw ValidationError("--changed-ranges names disk \(slot), which no --disk gives")
        }
        let vm = try config.map(Self.loadConfiguration)
        let metadata = try metadata.metadata()
        let opened = try await repository.open()
        var inputs: [VMDiskBackupInput] = []
        for (slot, path) in images.sorted(by: { $0.key < $1.key }) {
            let ranges = try rangeFiles[slot].map { try ChangedRanges.load(from: $0).ranges }
            inputs.append(VMDiskBackupInput(slot: slot, source: try FileDiskSource(path: path), changedRanges: ranges))
        }
        var options = BackupOptions(metadata: metadata)
        if let parent { options.parent = try await opened.restorePoint(named: parent).id }
        let total = inputs.reduce(0) { $0 + $1.source.size }
        let progress = ProgressBar(label: "backing up", total: total, enabled: output.showsProgress)
        options.progress = { totals in progress.update(completed: totals.bytesRead, total: totals.bytesToRead) }

        let result = try await opened.backupVM(disks: inputs, configuration: vm, options: options)
        progress.finish()
        let totals = result.statistics
        let point = result.restorePoint
        let report = Report(
            id: point.id.hex,
            parent: point.parent?.hex,
            vm: point.vm?.name,
            disks: point.disks.map(\.slot.description),
            diskSize: totals.diskSize,
            bytesRead: totals.bytesRead,
            bytesStored: totals.bytesStored,
            metadataBytesWritten: totals.metadataBytesWritten,
            blocksNew: totals.blocksNew,
            blocksDeduplicated: totals.blocksDeduplicated,
            blocksZero: totals.blocksZero,
            blocksSkipped: totals.blocksSkipped,
            packsWritten: totals.packsWritten,
            seconds: result.duration
        )
        try output.emit(report) {
            """
            created restore point \(report.id)\(report.parent.map { " (parent \($0.prefix(12)))" } ?? "")\
            \(report.vm.map { " of VM \($0)" } ?? "")
              \(report.disks.count) disks (\(report.disks.joined(separator: ", "))), \(Units.bytes(totals.diskSize)): \
            read \(Units.bytes(totals.bytesRead)), stored \(Units.bytes(totals.bytesStored)) new data + \
            \(Units.bytes(totals.metadataBytesWritten)) metadata in \(totals.packsWritten) packs
              blocks: \(totals.blocksNew) new, \(totals.blocksDeduplicated) already stored, \
            \(totals.blocksZero) zero, \(totals.blocksSkipped) unchanged (not read)
              \(Units.duration(result.duration)), \(Units.rate(bytes: totals.bytesRead, seconds: result.duration)) read
            """
        }
    }

    /// Parses `SLOT=FILE` options; each slot once.
    static func pairs(_ values: [String], option: String) throws -> [VMDiskSlot: String] {
        var result: [VMDiskSlot: String] = [:]
        for value in values {
            let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let slot = VMDiskSlot(parts[0]), !parts[1].isEmpty else {
                throw ValidationError("\(option) '\(value)' is not SLOT=FILE with SLOT os or a LUN from 0 to 63")
            }
            guard result.updateValue(parts[1], forKey: slot) == nil else {
                throw ValidationError("\(option) gives disk \(slot) twice; give each disk once")
            }
        }
        return result
    }

    static func loadConfiguration(_ path: String) throws -> VMConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure(.notFound, "cannot read the VM configuration file '\(path)': check the path")
        }
        do {
            return try VMConfiguration(parsing: data)
        } catch let error as RepositoryError {
            throw CommandFailure(.failure, "the VM configuration file '\(path)' is invalid: \(error.message)")
        }
    }
}
