import AzureKit
import Foundation
import Logging
import Testing

@testable import LocalCloud

@Suite struct VirtualMachineRuntimeTests {
    let logger = Logger(label: "test")

    private func makeRuntime(
        timeLimit: Duration = .seconds(30)
    ) throws -> (VirtualMachineRuntime, TemporaryFolder) {
        let folder = try TemporaryFolder("vm")
        var configuration = VirtualMachineRuntime.Configuration()
        configuration.scriptTimeLimit = timeLimit
        let runtime = try VirtualMachineRuntime(rootDirectory: folder.path + "/root-fs", configuration: configuration)
        return (runtime, folder)
    }

    @Test func scriptOutputComesBackInAzuresShape() async throws {
        let (runtime, folder) = try makeRuntime()
        defer { folder.remove() }
        let result = try await runtime.runCommand(
            RunCommandInput(commandId: "RunShellScript", script: ["#!/bin/bash", "echo hello", "echo oops >&2"]),
            logger: logger
        )
        #expect(result.value.count == 1)
        #expect(result.value.first?.code == "ProvisioningState/succeeded")
        #expect(result.value.first?.level == "Info")
        #expect(result.value.first?.displayStatus == "Provisioning succeeded")
        #expect(result.value.first?.message == "Enable succeeded: \n[stdout]\nhello\n\n[stderr]\noops\n")
        let encoded = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        #expect(encoded.contains("\"value\":[{"))
    }

    @Test func scriptRunsInTheVMFolderWithParametersAsEnvironment() async throws {
        let (runtime, folder) = try makeRuntime()
        defer { folder.remove() }
        let result = try await runtime.runCommand(
            RunCommandInput(
                commandId: "RunShellScript",
                script: [
                    "echo \"cwd=$(pwd)\"", "echo \"home=$HOME\"", "echo \"greeting=$GREETING\"", "echo \"first=$1\"",
                    "command -v curl >/dev/null && echo curl=yes", "echo data > file.txt",
                ],
                parameters: [.init(name: "GREETING", value: "hi there"), .init(name: nil, value: "positional")]
            ),
            logger: logger
        )
        let message = try #require(result.value.first?.message)
        #expect(message.contains("cwd=\(runtime.rootDirectory)\n"))
        #expect(message.contains("home=\(runtime.rootDirectory)/root\n"))
        #expect(message.contains("greeting=hi there\n"))
        #expect(message.contains("first=positional\n"))
        #expect(message.contains("curl=yes\n"))
        #expect(FileManager.default.fileExists(atPath: runtime.path("file.txt")))
    }

    @Test func failingScriptReportsItsExitStatus() async throws {
        let (runtime, folder) = try makeRuntime()
        defer { folder.remove() }
        let result = try await runtime.runCommand(
            RunCommandInput(commandId: "RunShellScript", script: ["echo before", "exit 3"]),
            logger: logger
        )
        let status = try #require(result.value.first)
        #expect(status.code.hasPrefix("ProvisioningState/failed"))
        #expect(status.level == "Error")
        #expect(
            status.message?.hasPrefix(
                "Enable failed: failed to execute command: command terminated with exit status=3\n[stdout]\nbefore\n"
            ) == true
        )
    }

    @Test func scriptPastItsTimeLimitIsKilled() async throws {
        let (runtime, folder) = try makeRuntime(timeLimit: .milliseconds(300))
        defer { folder.remove() }
        let result = try await runtime.runCommand(
            RunCommandInput(commandId: "RunShellScript", script: ["sleep 20 && touch finished"]),
            logger: logger
        )
        #expect(result.value.first?.message?.contains("timed out") == true)
        #expect(runtime.guestProcessIDs().isEmpty)
        // Killed at its limit, not waited for: the script never got past its sleep, however busy the machine is
        // (which a bound on the elapsed time could not tell apart from a slow file system).
        #expect(!FileManager.default.fileExists(atPath: runtime.path("finished")))
    }

    @Test func backgroundProcessesRunUntilDeallocate() async throws {
        let (runtime, folder) = try makeRuntime()
        defer { folder.remove() }
        _ = try await runtime.runCommand(
            RunCommandInput(
                commandId: "RunShellScript",
                script: ["sleep 300 &", "setsid sleep 301 > /dev/null 2>&1 < /dev/null &", "echo started"]
            ),
            logger: logger
        )
        for _ in 0..<500 where runtime.guestProcessIDs().count < 2 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(runtime.guestProcessIDs().count >= 2)
        await runtime.deallocate()
        #expect(runtime.guestProcessIDs().isEmpty)
        #expect(runtime.powerState == .deallocated)
        #expect(runtime.statuses.map(\.code) == ["ProvisioningState/succeeded", "PowerState/deallocated"])
    }

    @Test func runCommandNeedsARunningVM() async throws {
        let (runtime, folder) = try makeRuntime()
        defer { folder.remove() }
        await runtime.deallocate()
        await #expect(throws: ComputeError.self) {
            _ = try await runtime.runCommand(
                RunCommandInput(commandId: "RunShellScript", script: ["true"]),
                logger: logger
            )
        }
        try runtime.start()
        #expect(runtime.powerState == .running)
        let result = try await runtime.runCommand(
            RunCommandInput(commandId: "RunShellScript", script: ["true"]),
            logger: logger
        )
        #expect(result.value.first?.code == "ProvisioningState/succeeded")
    }

    @Test func secondRunCommandWhileOneRunsIsAConflict() async throws {
        let (runtime, folder) = try makeRuntime()
        defer { folder.remove() }
        let logger = self.logger
        // The first script says it started, then waits for the test's word to end.
        async let first = runtime.runCommand(
            RunCommandInput(
                commandId: "RunShellScript",
                script: ["touch started", "while [ ! -e finish ]; do sleep 0.02; done"]
            ),
            logger: logger
        )
        let started = runtime.rootDirectory + "/started"
        for _ in 0..<1_000 where !FileManager.default.fileExists(atPath: started) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(FileManager.default.fileExists(atPath: started))
        defer { _ = FileManager.default.createFile(atPath: runtime.rootDirectory + "/finish", contents: nil) }
        do {
            _ = try await runtime.runCommand(
                RunCommandInput(commandId: "RunShellScript", script: ["true"]),
                logger: logger
            )
            Issue.record("A second Run Command was accepted while the first ran.")
        } catch {
            #expect(error.code == .conflict)
        }
        _ = FileManager.default.createFile(atPath: runtime.rootDirectory + "/finish", contents: nil)
        _ = try await first
    }

    @Test func deleteRemovesTheFolderAndProcesses() async throws {
        let (runtime, folder) = try makeRuntime()
        defer { folder.remove() }
        _ = try await runtime.runCommand(
            RunCommandInput(commandId: "RunShellScript", script: ["sleep 300 &"]),
            logger: logger
        )
        await runtime.delete()
        #expect(runtime.guestProcessIDs().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: runtime.rootDirectory))
    }

    @Test func outputKeepsOnlyTheLast4096Bytes() {
        let data = Array(repeating: UInt8(ascii: "a"), count: 5000) + Array("end".utf8)
        let tail = RunCommandResult.tail(of: data)
        #expect(tail.utf8.count == 4096)
        #expect(tail.hasSuffix("end"))
    }
}
