import ArgumentParser
import FileRestore
import Foundation

/// `nimbus repo files ls RP[:disk[:partition]] PATH`.
struct FilesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List a folder (or show a file) in a restore point."
    )

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The restore point: RP[:disk[:partition]].")
    var target: String

    @Argument(help: "The folder or file, from the file system's root (default /).")
    var path: String = "/"

    @OptionGroup var format: OutputOptions

    mutating func run() async throws {
        let path = path
        let entries = try await FileTarget(parsing: target).withFileSystem(repository) { fileSystem, _, _ in
            let entry = try await fileSystem.lookup(path)
            guard entry.kind == .directory else { return [entry] }
            return try await fileSystem.list(entry).sorted { $0.name < $1.name }
        }
        try format.emit(entries) { entries.map(Self.line).joined(separator: "\n") }
    }

    /// `drwxr-xr-x  1000:1000  4.0 KiB  2026-01-02 03:04  name`.
    static func line(_ entry: FileEntry) -> String {
        let owner = entry.uid.map { "\($0):\(entry.gid ?? 0)" } ?? "-"
        let time = entry.modified.map { DateText.short($0) } ?? "-"
        return "\(modeText(entry))  \(owner)  \(Units.bytes(Int64(entry.size)))  \(time)  \(entry.name)"
    }

    static func modeText(_ entry: FileEntry) -> String {
        let kind: Character =
            switch entry.kind {
            case .directory: "d"
            case .symlink: "l"
            case .regular: "-"
            case .other: "?"
            }
        guard let mode = entry.mode else { return String(kind) + "---------" }
        let letters = Array("rwxrwxrwx")
        return String(kind) + String((0..<9).map { mode & (0o400 >> UInt32($0)) != 0 ? letters[$0] : "-" })
    }
}
