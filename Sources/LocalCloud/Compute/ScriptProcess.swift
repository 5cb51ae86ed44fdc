import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started in a process group of its own, its standard output and error sent to files.
///
/// The group lets LocalCloud signal the process together with everything it started in the background.
struct ScriptProcess: Sendable {
    /// The process ID, which is also the ID of the process group it leads.
    let pid: pid_t

    /// Starts `executable` with `arguments` in a new process group.
    ///
    /// - Parameters:
    ///   - executable: Absolute path of the program.
    ///   - arguments: Arguments after the program name.
    ///   - environment: The whole environment of the child.
    ///   - standardOutput: File receiving standard output (created or truncated).
    ///   - standardError: File receiving standard error (created or truncated).
    /// - Throws: ``ComputeError`` with code `processStartFailed` when the system refuses to start it.
    static func spawn(
        executable: String,
        arguments: [String],
        environment: [String: String],
        standardOutput: String,
        standardError: String
    ) throws(ComputeError) -> ScriptProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        )
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaultSignals = sigset_t()
        sigfillset(&defaultSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envpBuffer in
                guard let argvBase = argvBuffer.baseAddress, let envpBase = envpBuffer.baseAddress else {
                    return EINVAL
                }
                return posix_spawn(&pid, executable, &actions, &attributes, argvBase, envpBase)
            }
        }
        guard result == 0 else {
            throw ComputeError(
                code: .processStartFailed,
                message: "Could not start \(executable): \(String(cString: strerror(result)))."
            )
        }
        return ScriptProcess(pid: pid)
    }

    /// Waits until the process ends, or until `timeout` passes; then the whole group is killed.
    ///
    /// - Returns: How the process ended.
    func waitForExit(timeout: Duration?) async -> ProcessTermination {
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now.advanced(by: $0) }
        var pause = Duration.milliseconds(2)
        while true {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                return ProcessTermination(waitStatus: status)
            }
            if reaped < 0 && errno != EINTR {
                return .exited(code: -1)
            }
            if let deadline, clock.now >= deadline {
                await killGroup()
                return .timedOut
            }
            if Task.isCancelled {
                await killGroup()
                return .signaled(signal: SIGKILL)
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(50))
        }
    }

    /// Kills the process and its group, reaps the process, and waits until no member of the group is left
    /// running (a killed process only ends once the scheduler runs it, which can take a while on a busy machine).
    private func killGroup() async {
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(10))
        while Self.hasLivingMembers(group: pid), clock.now < deadline {
            kill(-pid, SIGKILL)
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Whether any process of process group `group` is alive (zombies, which only wait to be reaped, are not).
    static func hasLivingMembers(group: pid_t) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.contains { entry in
            guard pid_t(entry) != nil,
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let nameEnd = stat.lastIndex(of: ")")
            else { return false }
            // After the command name: state, parent ID, process group ID, …
            let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
            guard fields.count > 2, let processGroup = pid_t(fields[2]) else { return false }
            return processGroup == group && fields[0] != "Z" && fields[0] != "X"
        }
    }
}
