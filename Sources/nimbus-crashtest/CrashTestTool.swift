import BackupRepository
import BackupRepositoryTesting
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small driver for the crash tests of the maintenance code: runs one backup or one prune on a local
/// repository so that a test can kill it (`kill -9`) or stop it at a chosen store call, and then check that
/// the repository is still valid.
///
/// Usage:
///   nimbus-crashtest [--stop-after <operation>:<key prefix>:<n>] backup <repository folder> <image file> [<parent ID>]
///   nimbus-crashtest [--stop-after <operation>:<key prefix>:<n>] prune <repository folder> [<repack below live ratio>]
/// `--stop-after delete:packs/:3` ends the process with `_exit(86)` (no cleanup, as with `kill -9`) right after
/// the third deletion of a key under `packs/` has completed; the operation is one of `put`, `get`, `head`,
/// `list`, `delete`. The store is wrapped in a `FaultyStore` for this; the engine has no hook of its own.
/// The password comes from `NIMBUS_PASSWORD`. Prune runs with no grace period. On success the restore point
/// ID (backup) or the bytes reclaimed (prune) are printed on standard output.
@main
struct CrashTestTool {
    /// The exit status of a process stopped by `--stop-after`.
    static let stoppedStatus: Int32 = 86

    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var rules: [FaultRule] = []
            while arguments.first == "--stop-after" {
                guard arguments.count >= 2, let rule = FaultRule(stopAfter: arguments[1]) else { throw UsageError() }
                rules.append(rule)
                arguments.removeFirst(2)
            }
            guard arguments.count >= 2 else { throw UsageError() }
            let store = FaultyStore(
                try LocalFolderStore(root: arguments[1], create: false),
                rules: rules,
                onStop: { _ in _exit(stoppedStatus) }
            )
            let password = ProcessInfo.processInfo.environment["NIMBUS_PASSWORD"]
            let repository = try await Repository.open(store: store, password: password)
            switch arguments[0] {
            case "backup" where arguments.count >= 3:
                let parent = arguments.count > 3 ? RestorePointID(arguments[3]) : nil
                let source = try FileDiskSource(path: arguments[2])
                let result = try await repository.backup(source: source, options: BackupOptions(parent: parent))
                print(result.restorePoint.id.hex)
            case "prune":
                var options = PruneOptions()
                options.grace = GarbageGrace(minimumAge: 0, clockSkew: 0)
                if arguments.count > 2, let ratio = Double(arguments[2]) { options.repackBelowLiveRatio = ratio }
                let report = try await repository.prune(options: options)
                print(report.reclaimedBytes)
            default:
                throw UsageError()
            }
        } catch {
            FileHandle.standardError.write(Data("nimbus-crashtest: \(error)\n".utf8))
            exit(1)
        }
    }
}

/// The command line was not understood.
struct UsageError: Error, CustomStringConvertible {
    var description: String {
        "usage: nimbus-crashtest [--stop-after <operation>:<prefix>:<n>] backup <repository> <image> [<parent>] | prune <repository> [<ratio>]"
    }
}
