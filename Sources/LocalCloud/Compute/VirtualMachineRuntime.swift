import Foundation
import Logging
import Synchronization

/// The running side of one LocalCloud virtual machine: a folder that plays its root file system, its power state,
/// and the processes its Run Commands start.
///
/// A script runs as a real `bash` process with the VM folder as working directory, in a process group of its own.
/// Processes it leaves in the background keep running while the VM runs; `powerOff`, `deallocate` and `delete`
/// end every process that carries the VM's marker in its environment.
public final class VirtualMachineRuntime: Sendable {
    /// Settings of a runtime.
    public struct Configuration: Sendable {
        /// How long one Run Command script may run before it is killed. Azure allows 90 minutes.
        public var scriptTimeLimit: Duration = .seconds(90 * 60)
        /// The `PATH` scripts see; it must reach `bash`, `curl` and the coreutils.
        public var searchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        /// The shell that runs scripts.
        public var shell = "/bin/bash"
        /// Extra variables every script sees, for example the CA bundle that makes `curl` trust LocalCloud.
        public var environment: [String: String] = [:]

        /// The defaults: 90 minutes, the system's usual `PATH`, `/bin/bash`.
        public init() {}
    }

    /// The environment variable that marks every process of a VM; its value is the VM's root folder.
    public static let markerVariable = "LOCALCLOUD_VM_ROOT"

    /// The folder that plays the VM's root file system.
    public let rootDirectory: String
    /// The runtime's settings.
    public let configuration: Configuration

    private struct State {
        var powerState: PowerState
        var runInProgress = false
        var deleted = false
        var lastRunNumber = -1
    }

    private let state: Mutex<State>

    /// Creates the runtime of a VM whose root is `rootDirectory`, creating the folder's skeleton when missing.
    ///
    /// - Throws: ``ComputeError`` with code `storageFailure` when the folder cannot be created.
    public init(
        rootDirectory: String,
        powerState: PowerState = .running,
        configuration: Configuration = Configuration()
    ) throws(ComputeError) {
        self.rootDirectory = rootDirectory
        self.configuration = configuration
        self.state = Mutex(State(powerState: powerState))
        try createSkeleton()
    }

    /// The current power state.
    public var powerState: PowerState {
        state.withLock { $0.powerState }
    }

    /// The instance-view status lines: provisioning state, then power state.
    public var statuses: [InstanceViewStatus] {
        [
            InstanceViewStatus(
                code: "ProvisioningState/succeeded",
                level: "Info",
                displayStatus: "Provisioning succeeded"
            ),
            powerState.status,
        ]
    }

    /// Starts the VM (from `stopped` or `deallocated`); starting a running VM changes nothing.
    public func start() throws(ComputeError) {
        try createSkeleton()
        state.withLock { $0.powerState = .running }
    }

    /// Powers the VM off, keeping it allocated: its processes end.
    public func powerOff() async {
        state.withLock { $0.powerState = .stopped }
        await terminateGuestProcesses()
    }

    /// Deallocates the VM: its processes end; its folder stays, as an OS disk would.
    public func deallocate() async {
        state.withLock { $0.powerState = .deallocated }
        await terminateGuestProcesses()
    }

    /// Deletes the VM: its processes end and its folder is removed.
    public func delete() async {
        state.withLock {
            $0.powerState = .deallocated
            $0.deleted = true
        }
        await terminateGuestProcesses()
        let root = rootDirectory
        _ = try? await FileIO.run { try FileManager.default.removeItem(atPath: root) }
    }

    /// Runs a Run Command and returns its result as Azure reports it.
    ///
    /// - Parameters:
    ///   - input: The request; only `RunShellScript` is supported.
    ///   - logger: Receives debug messages.
    /// - Throws: ``ComputeError``: `operationNotAllowed` unless the VM runs, `conflict` while another Run Command
    ///   runs, `invalidParameter` for another command, `processStartFailed` when bash cannot start.
    public func runCommand(_ input: RunCommandInput, logger: Logger) async throws(ComputeError) -> RunCommandResult {
        guard input.commandId == RunCommandInput.runShellScript else {
            throw ComputeError(
                code: .invalidParameter,
                message: "The command '\(input.commandId)' is not available on this Linux VM; use RunShellScript.",
                target: "commandId"
            )
        }
        // The folder may hold runs of an earlier life of this VM: continue after the highest one found.
        let highest = (try? await FileIO.run { [self] in self.highestRunNumber() }) ?? -1
        let runNumber: Int = try state.withLock { (state: inout State) throws(ComputeError) -> Int in
            guard state.powerState == .running, !state.deleted else {
                throw ComputeError(
                    code: .operationNotAllowed,
                    message:
                        "Operation 'RunCommand' is not allowed on the VM at \(rootDirectory) since it is "
                        + "\(state.powerState.name); start the VM first."
                )
            }
            guard !state.runInProgress else {
                throw ComputeError(
                    code: .conflict,
                    message:
                        "Run command extension execution is in progress. Please wait for completion before "
                        + "invoking a run command."
                )
            }
            state.runInProgress = true
            state.lastRunNumber = max(state.lastRunNumber, highest) + 1
            return state.lastRunNumber
        }
        defer { state.withLock { $0.runInProgress = false } }
        return try await runShellScript(input, runNumber: runNumber, logger: logger)
    }

    private func runShellScript(
        _ input: RunCommandInput,
        runNumber: Int,
        logger: Logger
    ) async throws(ComputeError) -> RunCommandResult {
        let runDirectory = path("var/lib/waagent/run-command/download/\(runNumber)")
        let scriptPath = runDirectory + "/script.sh"
        let outputPath = runDirectory + "/stdout"
        let errorPath = runDirectory + "/stderr"
        let script = (input.script ?? []).joined(separator: "\n") + "\n"
        do {
            try await FileIO.run {
                try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
                try Data(script.utf8).write(to: URL(fileURLWithPath: scriptPath))
            }
        } catch {
            throw ComputeError(
                code: .storageFailure,
                message: "Could not write the Run Command script to \(scriptPath): \(error.localizedDescription)."
            )
        }
        let positional = (input.parameters ?? []).filter { ($0.name ?? "").isEmpty }.map { $0.value ?? "" }
        let process = try ScriptProcess.spawn(
            executable: configuration.shell,
            arguments: ["-c", "cd -- \"$0\" || exit 1; exec \"$1\" \"${@:2}\"", rootDirectory, configuration.shell]
                + [scriptPath] + positional,
            environment: scriptEnvironment(parameters: input.parameters ?? []),
            standardOutput: outputPath,
            standardError: errorPath
        )
        logger.debug(
            "Run Command started",
            metadata: ["vm.root": "\(rootDirectory)", "run.number": "\(runNumber)", "process.id": "\(process.pid)"]
        )
        let termination = await process.waitForExit(timeout: configuration.scriptTimeLimit)
        logger.debug(
            "Run Command ended",
            metadata: [
                "vm.root": "\(rootDirectory)", "run.number": "\(runNumber)", "exit.status": "\(termination.exitStatus)",
            ]
        )
        let (output, errors) =
            (try? await FileIO.run {
                (
                    (try? Data(contentsOf: URL(fileURLWithPath: outputPath))) ?? Data(),
                    (try? Data(contentsOf: URL(fileURLWithPath: errorPath))) ?? Data()
                )
            }) ?? (Data(), Data())
        return RunCommandResult.shellScript(
            termination: termination,
            standardOutput: RunCommandResult.tail(of: Array(output)),
            standardError: RunCommandResult.tail(of: Array(errors)),
            timeLimitSeconds: Int(configuration.scriptTimeLimit.components.seconds)
        )
    }

    /// The environment of a script: a small login-like environment, the guest network settings, the VM marker,
    /// and the named parameters.
    func scriptEnvironment(parameters: [RunCommandInput.Parameter]) -> [String: String] {
        var environment: [String: String] = [
            "PATH": configuration.searchPath,
            "HOME": path("root"),
            "USER": "root",
            "LOGNAME": "root",
            "SHELL": configuration.shell,
            "LANG": "C.UTF-8",
            "TMPDIR": path("tmp"),
        ]
        for (name, value) in configuration.environment {
            environment[name] = value
        }
        for (name, value) in GuestNetworkFiles.readEnvironment(root: rootDirectory) {
            environment[name] = value
        }
        environment[Self.markerVariable] = rootDirectory
        for parameter in parameters {
            if let name = parameter.name, !name.isEmpty {
                environment[name] = parameter.value ?? ""
            }
        }
        return environment
    }

    /// The absolute path of `relative` inside the VM's folder.
    public func path(_ relative: String) -> String {
        rootDirectory + "/" + relative
    }

    private func createSkeleton() throws(ComputeError) {
        do {
            for folder in ["root", "tmp", "etc/localcloud", "var/lib/waagent/run-command/download"] {
                try FileManager.default.createDirectory(atPath: path(folder), withIntermediateDirectories: true)
            }
        } catch {
            throw ComputeError(
                code: .storageFailure,
                message: "Could not create the VM folder \(rootDirectory): \(error.localizedDescription)."
            )
        }
    }

    /// The highest run number in the VM folder, or -1 (blocking: call it on the file I/O pool).
    private func highestRunNumber() -> Int {
        let folder = path("var/lib/waagent/run-command/download")
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return existing.compactMap { Int($0) }.max() ?? -1
    }
}
