/// The final result of a Run Command, `{"value":[…]}` as Azure returns it.
public struct RunCommandResult: Codable, Sendable, Equatable {
    /// The status lines: one `ProvisioningState/…` line whose message holds the output.
    public var value: [InstanceViewStatus]

    /// Creates a result from its status lines.
    public init(value: [InstanceViewStatus]) {
        self.value = value
    }

    /// Builds the result Azure's Linux agent reports for a script that ended as `termination`.
    ///
    /// The message is `Enable succeeded: \n[stdout]\n…\n[stderr]\n…`; a failure names the exit status the way
    /// the agent does. Each stream keeps only its last 4,096 bytes, as on Azure.
    static func shellScript(
        termination: ProcessTermination,
        standardOutput: String,
        standardError: String,
        timeLimitSeconds: Int
    ) -> RunCommandResult {
        let streams = "[stdout]\n\(standardOutput)\n[stderr]\n\(standardError)"
        let status: InstanceViewStatus
        switch termination {
        case .exited(code: 0):
            status = InstanceViewStatus(
                code: "ProvisioningState/succeeded",
                level: "Info",
                displayStatus: "Provisioning succeeded",
                message: "Enable succeeded: \n\(streams)"
            )
        case .timedOut:
            status = InstanceViewStatus(
                code: "ProvisioningState/failed/0",
                level: "Error",
                displayStatus: "Provisioning failed",
                message:
                    "Enable failed: failed to execute command: command timed out after \(timeLimitSeconds) seconds\n"
                    + streams
            )
        default:
            status = InstanceViewStatus(
                code: "ProvisioningState/failed/0",
                level: "Error",
                displayStatus: "Provisioning failed",
                message:
                    "Enable failed: failed to execute command: command terminated with exit status="
                    + "\(termination.exitStatus)\n\(streams)"
            )
        }
        return RunCommandResult(value: [status])
    }

    /// The last `limit` bytes of `data` as text, cut at a character boundary.
    static func tail(of data: [UInt8], limit: Int = 4096) -> String {
        var start = max(0, data.count - limit)
        while start < data.count && start > 0 && (data[start] & 0xC0) == 0x80 {
            start += 1
        }
        return String(decoding: data[start...], as: UTF8.self)
    }
}
