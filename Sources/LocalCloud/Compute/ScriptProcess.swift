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

    /// Waits until the process ends, or until `timeout` passes or the task is cancelled; then the whole group
    /// is killed.
    ///
    /// - Returns: How the process ended: `.timedOut` after the time limit, `.signaled(SIGKILL)` when cancelled.
    func waitForExit(timeout: Duration?) async -> ProcessTermination {
        enum Event: Sendable {
            case exited(Int32?)
            case timedOut
            case cancelled
        }
        let pid = self.pid
        return await withTaskCancellationHandler {
            await withTaskGroup(of: Event.self) { group in
                group.addTask { .exited(await Self.reap(pid)) }
                if let timeout {
                    group.addTask {
                        do {
                            try await Task.sleep(for: timeout)
                            return .timedOut
                        } catch {
                            return .cancelled
                        }
                    }
                }
                var first = await group.next() ?? .cancelled
                if case .exited(let status) = first, !Task.isCancelled {
                    group.cancelAll()
                    return status.map(ProcessTermination.init(waitStatus:)) ?? .exited(code: -1)
                }
                if case .exited = first { first = .cancelled }
                // Timed out or cancelled: kill the group, let the waiter reap the process, and wait until no
                // member of the group is left running.
                Self.signalGroup(pid)
                while let event = await group.next() {
                    if case .exited = event { break }
                }
                group.cancelAll()
                await Self.waitUntilGone(group: pid)
                if case .timedOut = first { return .timedOut }
                return .signaled(signal: SIGKILL)
            }
        } onCancel: {
            Self.signalGroup(pid)
        }
    }

    /// Waits until process `pid` ends and reaps it; returns its wait status, or `nil` when it cannot be waited for.
    ///
    /// It polls with `waitpid(WNOHANG)`, which never blocks, backing off to ten polls a second, so that any number
    /// of scripts can run at once without a thread each. The polling runs in a task of its own: a cancelled
    /// caller (whose script is being killed) still reaps its process.
    private static func reap(_ pid: pid_t) async -> Int32? {
        await Task {
            var interval = Duration.milliseconds(2)
            var status: Int32 = 0
            while true {
                let result = waitpid(pid, &status, WNOHANG)
                if result == pid { return status }
                if result < 0 {
                    if errno == EINTR { continue }
                    return nil
                }
                try? await Task.sleep(for: interval)
                interval = min(interval * 2, .milliseconds(100))
            }
        }.value
    }

    /// Sends SIGKILL to the process and its group.
    private static func signalGroup(_ pid: pid_t) {
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
    }

    /// Waits until no member of process group `group` is left running (a killed process only ends once the
    /// scheduler runs it, which can take a while on a busy machine), killing stragglers, for at most 10 seconds.
    private static func waitUntilGone(group: pid_t) async {
        // In a task of its own: this runs after a cancellation too, when the caller's sleeps would not wait.
        await Task {
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(10))
            while clock.now < deadline {
                let living = (try? await FileIO.run { hasLivingMembers(group: group) }) ?? false
                guard living else { return }
                kill(-group, SIGKILL)
                try? await Task.sleep(for: .milliseconds(10))
            }
        }.value
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
