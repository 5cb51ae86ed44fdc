import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo show RP`: one restore point in detail.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one restore point: its VM, every disk, its backup's totals and its metadata."
    )

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The restore point: an ID, a unique prefix of one, or 'latest'.")
    var restorePoint: String

    @OptionGroup var output: OutputOptions

    /// What `show --json` prints.
    struct Report: Encodable {
        var id: String
        var created: Date
        var version: Int
        /// The size of all disks together.
        var diskSize: Int64
        var disks: [RestorePointDisk]
        var vm: VMConfiguration?
        var parent: String?
        var metadata: JSONValue
        var backup: BackupProgress
    }

    mutating func run() async throws {
        let opened = try await repository.open()
        let point = try await opened.restorePoint(named: restorePoint)
        let metadata = point.metadataValue
        let report = Report(
            id: point.id.hex,
            created: point.created,
            version: point.version,
            diskSize: point.totalDiskSize,
            disks: point.disks,
            vm: point.vm,
            parent: point.parent?.hex,
            metadata: metadata,
            backup: point.statistics
        )
        try output.emit(report) {
            let totals = point.statistics
            let isEmpty: Bool
            switch metadata {
            case .object(let fields): isEmpty = fields.isEmpty
            case .null: isEmpty = true
            default: isEmpty = false
            }
            let metadataText = isEmpty ? "none" : (try? OutputOptions.encode(metadata)) ?? "{}"
            var lines = [
                "restore point  \(point.id.hex)",
                "created        \(DateText.short(point.created)) UTC",
                "parent         \(point.parent?.hex ?? "none")",
            ]
            if let vm = point.vm { lines += Self.describe(vm) }
            for disk in point.disks {
                let name = point.vm?.disks.first { $0.slot == disk.slot }.map { " \($0.name)" } ?? ""
                lines.append(
                    "disk \(disk.slot.description.padding(toLength: 10, withPad: " ", startingAt: 0))"
                        + "\(Units.bytes(disk.size)) (\(disk.size) bytes), \(Units.bytes(Int64(disk.blockSize))) "
                        + "blocks\(disk.root == nil ? ", all zero" : "")\(name)"
                )
            }
            lines.append(
                "backup         read \(Units.bytes(totals.bytesRead)), stored \(Units.bytes(totals.bytesStored)) "
                    + "in \(totals.packsWritten) packs; blocks \(totals.blocksNew) new, "
                    + "\(totals.blocksDeduplicated) already stored, \(totals.blocksZero) zero, "
                    + "\(totals.blocksSkipped) unchanged"
            )
            lines.append(
                "metadata       \(metadataText.replacingOccurrences(of: "\n", with: "\n               "))"
            )
            return lines.joined(separator: "\n")
        }
    }
}

extension ShowCommand {
    /// The VM configuration, one line per field.
    static func describe(_ vm: VMConfiguration) -> [String] {
        var lines = [
            "VM             \(vm.name) (\(vm.osType.rawValue), \(vm.size), \(vm.region)"
                + "\(vm.zones.isEmpty ? "" : ", zones \(vm.zones.joined(separator: ","))"))",
            "resource ID    \(vm.resourceID)",
        ]
        for nic in vm.networkInterfaces {
            lines.append(
                "network        \(nic.resourceID)\(nic.primary ? " (primary)" : "") in subnet \(nic.subnetID)"
                    + (nic.privateIPAddress.map { ", \($0)" } ?? "") + (nic.hasPublicIP ? ", public IP" : "")
            )
        }
        if !vm.tags.isEmpty {
            lines.append(
                "tags           "
                    + vm.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            )
        }
        if let snapshot = vm.snapshot {
            lines.append("snapshot       set \(snapshot.setID), taken \(DateText.short(snapshot.taken)) UTC")
        }
        for disk in vm.disks {
            lines.append(
                "VM disk \(disk.slot.description.padding(toLength: 7, withPad: " ", startingAt: 0))"
                    + "\(disk.name), \(disk.sku), \(Units.bytes(disk.sizeBytes))"
                    + (disk.caching.map { ", caching \($0)" } ?? "")
            )
        }
        return lines
    }
}
