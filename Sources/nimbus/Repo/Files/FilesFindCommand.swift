import ArgumentParser
import FileRestore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `nimbus repo files find RP[:disk[:partition]] PATTERN`.
struct FilesFindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find files whose names match a glob pattern (*, ?, [abc]) in a restore point."
    )

    /// The most matches printed (the search stops there).
    static let maximumMatches = 100_000

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The restore point: RP[:disk[:partition]].")
    var target: String

    @Argument(help: "The glob pattern names are matched against (quote it for the shell).")
    var pattern: String

    @Option(help: ArgumentHelp("The folder to search (default /).", valueName: "path"))
    var under: String = "/"

    @OptionGroup var format: OutputOptions

    /// One match.
    struct Match: Encodable {
        var path: String
        var entry: FileEntry
    }

    mutating func run() async throws {
        let (pattern, under) = (pattern, under)
        let matches = try await FileTarget(parsing: target).withFileSystem(repository) { fileSystem, _, _ in
            try await Self.search(fileSystem, under: under, pattern: pattern)
        }
        try format.emit(matches) { matches.map(\.path).joined(separator: "\n") }
    }

    /// Walks the tree below `under` (depth first, folders in name order) and returns the entries whose names
    /// match `pattern`.
    static func search(_ fileSystem: any FileSystemReader, under: String, pattern: String) async throws -> [Match] {
        let start = try await fileSystem.lookup(under)
        let base = under.hasSuffix("/") ? String(under.dropLast()) : under
        var pending: [(String, FileEntry)] = [(base, start)]
        var matches: [Match] = []
        var visited: Set<UInt64> = []
        while let (path, folder) = pending.popLast() {
            try Task.checkCancellation()
            guard visited.insert(folder.identity).inserted else { continue }
            let entries = try await fileSystem.list(folder).sorted { $0.name > $1.name }
            for entry in entries {
                let full = path + "/" + entry.name
                if fnmatch(pattern, entry.name, 0) == 0 {
                    matches.append(Match(path: full, entry: entry))
                    if matches.count >= maximumMatches { return matches }
                }
                if entry.kind == .directory { pending.append((full, entry)) }
            }
        }
        return matches
    }
}
