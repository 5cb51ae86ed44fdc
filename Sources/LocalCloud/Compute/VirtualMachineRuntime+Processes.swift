import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension VirtualMachineRuntime {
    /// The IDs of the live processes whose environment carries this VM's marker (a blocking scan of `/proc`).
    public func guestProcessIDs() -> [pid_t] {
        let marker = Array("\(Self.markerVariable)=\(rootDirectory)".utf8)
        let own = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), pid != own,
                let environment = FileManager.default.contents(atPath: "/proc/\(entry)/environ")
            else { return nil }
            let matches = environment.split(separator: 0, omittingEmptySubsequences: true).contains {
                $0.elementsEqual(marker)
            }
            return matches ? pid : nil
        }
    }

    /// Ends every process of this VM: first politely (SIGTERM to each process and its group), then, after a short
    /// grace period, with SIGKILL; repeated until none is left or ten seconds have passed.
    func terminateGuestProcesses() async {
        let clock = ContinuousClock()
        // A killed process only disappears once the scheduler runs it; on a busy machine that takes a while.
        let deadline = clock.now.advanced(by: .seconds(10))
        var round = 0
        while clock.now < deadline {
            let pids = (try? await FileIO.run { [self] in self.guestProcessIDs() }) ?? []
            if pids.isEmpty { return }
            let signal = round == 0 ? SIGTERM : SIGKILL
            for pid in pids {
                kill(pid, signal)
            }
            try? await Task.sleep(for: .milliseconds(round == 0 ? 200 : 20))
            round += 1
        }
    }
}
