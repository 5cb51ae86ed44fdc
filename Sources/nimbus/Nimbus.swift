import ArgumentParser
import BackupRepository
import Foundation

/// The one Nimbus executable: `nimbus repo|appliance|cloud|demo …`.
@main
struct Nimbus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nimbus",
        abstract: "Agentless, snapshot-based backup for Azure virtual machines.",
        subcommands: [
            RepoCommand.self,
            ApplianceCommand.self,
            Cloud.self,
            DemoCommand.self,
            DevCommand.self,
        ]
    )

    /// Parses the command line and runs the command; failures become one line on standard
    /// error (or a JSON object on standard output with `--json`) and a distinct exit status.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            var runnable = command
            if let stoppable = runnable as? any StoppableCommand {
                try await Interrupts.run(stoppable)
            } else if var asyncCommand = runnable as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try runnable.run()
            }
        } catch let error where ErrorReport.isArgumentParserError(error) {
            exit(withError: error)
        } catch {
            let failure = ErrorReport.failure(for: error)
            ErrorReport.print(failure, json: CommandLine.arguments.contains("--json"))
            Foundation.exit(failure.code.exitStatus)
        }
        // Queued file I/O finishes before the process ends; the pool's threads then stop.
        try? await FileIOPool.shared.shutdown()
    }
}
