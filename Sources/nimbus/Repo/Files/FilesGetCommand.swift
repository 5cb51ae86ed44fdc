import ArgumentParser
import BackupRepository
import FileRestore
import Foundation

/// `nimbus repo files get RP[:disk[:partition]] PATH [--output FILE|DIR]`.
struct FilesGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Copy a file, or a folder recursively, out of a restore point, keeping modes and times.",
        discussion: """
            A file is written to --output (a file, or into it when it is an existing folder; default: its name in \
            the current folder). A folder is written as the folder --output (default: its name), which must not \
            exist yet. Nothing is ever written outside it: names with '/' or that are '.' or '..' are skipped, \
            and nothing existing is overwritten or followed.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The restore point: RP[:disk[:partition]].")
    var target: String

    @Argument(help: "The file or folder to copy, from the file system's root.")
    var path: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write it.", valueName: "file|dir"))
    var output: String?

    @OptionGroup var format: OutputOptions

    /// What `get --json` prints.
    struct Report: Encodable {
        var output: String
        var files: Int
        var folders: Int
        var symlinks: Int
        var bytes: UInt64
        var skipped: [String]
        var bytesFetched: Int64
        var seconds: Double
    }

    mutating func run() async throws {
        let (path, output) = (path, output)
        let started = ContinuousClock.now
        var report = try await FileTarget(parsing: target).withFileSystem(repository) { fileSystem, _, reader in
            let entry = try await fileSystem.lookup(path)
            var copier = FileCopier(fileSystem: fileSystem)
            let name = entry.name == "/" ? "root" : entry.name
            var destination = output ?? name
            if entry.kind == .directory {
                try await copier.copyFolder(entry, to: destination)
            } else {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: destination, isDirectory: &isFolder), isFolder.boolValue {
                    destination += "/" + name
                }
                try await copier.copy(entry, to: destination)
            }
            return Report(
                output: destination,
                files: copier.files,
                folders: copier.folders,
                symlinks: copier.symlinks,
                bytes: copier.bytes,
                skipped: copier.skipped,
                bytesFetched: reader.statistics.bytesFetched,
                seconds: 0
            )
        }
        report.seconds = (ContinuousClock.now - started).inSeconds
        for skipped in report.skipped { Terminal.writeToStandardError("nimbus: warning: skipped \(skipped)\n") }
        try format.emit(report) {
            "copied \(report.files) files, \(report.folders) folders and \(report.symlinks) symlinks "
                + "(\(Units.bytes(Int64(report.bytes)))) to \(report.output) in \(Units.duration(report.seconds))"
        }
    }
}
