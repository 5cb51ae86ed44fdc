import Foundation
import Testing

@testable import Appliance

@Suite struct InstallScriptTests {
    /// Runs `bash -n` on a script and returns its status and error output.
    static func syntaxCheck(_ script: String) throws -> (Int32, String) {
        let file = FileManager.default.temporaryDirectory.appending(path: "install-\(UUID().uuidString).sh")
        try Data(script.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-n", file.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func theInstallScriptAndTheRunCommandStubAreValidBash() throws {
        let (status, errors) = try Self.syntaxCheck(InstallScript.text)
        #expect(status == 0, "bash -n: \(errors)")
        let (stubStatus, stubErrors) = try Self.syntaxCheck(InstallScript.runCommandStub.joined(separator: "\n"))
        #expect(stubStatus == 0, "bash -n: \(stubErrors)")
        // A broken script is caught by the same check, so the check can fail.
        #expect(try Self.syntaxCheck("if then fi (").0 != 0)
    }

    @Test func theScriptInstallsUnderTheGuestRootAndBothStartModes() {
        let script = InstallScript.text
        #expect(script.hasPrefix("#!/bin/bash\n"))
        #expect(script.contains("${LOCALCLOUD_VM_ROOT:-}"))
        #expect(script.contains("/opt/nimbus"))
        #expect(script.contains("/run/systemd/system"))
        #expect(script.contains("nimbus-worker.service"))
        #expect(script.contains("nohup"))
        #expect(script.contains("md5sum"))
    }

    @Test func profilesFollowTheTotalDiskSize() {
        #expect(WorkerProfile(totalDiskBytes: 0) == .small)
        #expect(WorkerProfile(totalDiskBytes: 100 << 30) == .small)
        #expect(WorkerProfile(totalDiskBytes: (100 << 30) + 1) == .medium)
        #expect(WorkerProfile(totalDiskBytes: 1 << 40) == .medium)
        #expect(WorkerProfile(totalDiskBytes: (1 << 40) + 1) == .large)
        #expect(WorkerProfile.small < .large)
        #expect(Set(WorkerProfile.allCases.map(\.vmSize)).count == 3)
    }

    @Test func throwawaySSHKeysAreOpenSSHEd25519Lines() throws {
        let line = SSHKey.throwaway(comment: "c")
        let parts = line.split(separator: " ")
        #expect(parts.count == 3 && parts[0] == "ssh-ed25519")
        let blob = try #require(Data(base64Encoded: String(parts[1])))
        // 4-byte length + "ssh-ed25519" + 4-byte length + 32-byte key.
        #expect(blob.count == 4 + 11 + 4 + 32)
        #expect(SSHKey.throwaway(comment: "c") != line)
    }
}
