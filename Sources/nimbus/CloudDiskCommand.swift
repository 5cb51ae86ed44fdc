import ArgumentParser
import Foundation
import LocalCloud

/// `nimbus cloud disk …`: write into a LocalCloud managed disk as its VM's guest would.
struct CloudDisk: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disk",
        abstract: "Write into a LocalCloud managed disk as its guest would (through LocalCloud when it is running).",
        subcommands: [CloudDiskImport.self, CloudDiskMutate.self]
    )
}

/// `nimbus cloud disk import --data DIR --disk DISK FILE`.
struct CloudDiskImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a raw image file at the start of a disk; all-zero pieces stay sparse."
    )

    @Option(name: .long, help: "The LocalCloud data folder.")
    var data: String

    @Option(name: .long, help: "The disk's name or full resource ID.")
    var disk: String

    @Argument(help: "The raw image file.")
    var file: String

    func run() async throws {
        let folder = URL(fileURLWithPath: data, isDirectory: true)
        let image = URL(fileURLWithPath: file)
        let written: Int64
        if GuestDiskIO.isServed(dataDirectory: folder) {
            written = try await GuestDiskRemote(dataDirectory: folder).importImage(disk: disk, file: image)
        } else {
            written = try await GuestDiskIO(dataDirectory: folder).importImage(disk: disk, file: image)
        }
        print("Imported \(file) into \(disk): \(written) bytes of data written")
    }
}

/// `nimbus cloud disk mutate --data DIR --disk DISK --percent P [--seed S] [--record FILE]`.
struct CloudDiskMutate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mutate",
        abstract: "Change a share of a disk in scattered 4-256 KiB writes and record the changed ranges."
    )

    @Option(name: .long, help: "The LocalCloud data folder.")
    var data: String

    @Option(name: .long, help: "The disk's name or full resource ID.")
    var disk: String

    @Option(name: .long, help: "The share of the disk to change, in percent.")
    var percent: Double = 1

    @Option(name: .long, help: "The seed of the write pattern (random when omitted).")
    var seed: UInt64?

    @Option(name: .long, help: "Write the changed ranges to this file as a JSON array of [offset, length].")
    var record: String?

    func validate() throws {
        guard (0...100).contains(percent) else {
            throw ValidationError("--percent must be between 0 and 100.")
        }
    }

    func run() async throws {
        let folder = URL(fileURLWithPath: data, isDirectory: true)
        let seed = self.seed ?? UInt64.random(in: 0...UInt64.max)
        let ranges: [[Int64]]
        if GuestDiskIO.isServed(dataDirectory: folder) {
            ranges = try await GuestDiskRemote(dataDirectory: folder).mutate(disk: disk, percent: percent, seed: seed)
        } else {
            ranges = try await GuestDiskIO(dataDirectory: folder).mutate(disk: disk, percent: percent, seed: seed)
                .changedRanges
        }
        if let record {
            try JSONEncoder().encode(ranges).write(to: URL(fileURLWithPath: record))
        }
        let bytes = ranges.reduce(0) { $0 + ($1.last ?? 0) }
        print("Changed \(bytes) bytes of \(disk) in \(ranges.count) ranges (seed \(seed))")
    }
}
