import BackupRepository
import Foundation

/// A small driver for the crash tests of the maintenance code: runs one backup or one prune on a local
/// repository so that a test can kill it (`kill -9`, or `NIMBUS_TEST_CRASH_AT=<point>`) and then check that
/// the repository is still valid.
///
/// Usage:
///   nimbus-crashtest backup <repository folder> <image file> [<parent restore point ID>]
///   nimbus-crashtest prune <repository folder> [<repack below live ratio>]
/// The password comes from `NIMBUS_PASSWORD`. Prune runs with no grace period. On success the restore point
/// ID (backup) or the bytes reclaimed (prune) are printed on standard output.
@main
struct CrashTestTool {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            guard arguments.count >= 2 else { throw UsageError() }
            let store = try LocalFolderStore(root: arguments[1], create: false)
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
        "usage: nimbus-crashtest backup <repository> <image> [<parent>] | prune <repository> [<ratio>]"
    }
}
