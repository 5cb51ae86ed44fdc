/// A virtual machine's power state, as its instance view reports it.
public struct PowerState: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The state's name: `running`, `stopped`, `deallocated`, `starting`, `stopping` or `deallocating`.
    public let name: String

    private init(_ name: String) {
        self.name = name
    }

    /// The guest runs; Run Command works.
    public static let running = PowerState("running")
    /// Powered off but still allocated (`powerOff`).
    public static let stopped = PowerState("stopped")
    /// Released (`deallocate`): nothing runs.
    public static let deallocated = PowerState("deallocated")

    /// Reads a stored state name; unknown names read as deallocated.
    public init(storedName: String) {
        switch storedName {
        case "running": self = .running
        case "stopped": self = .stopped
        default: self = .deallocated
        }
    }

    public var description: String { name }

    /// The instance-view status line, for example `PowerState/running` / `VM running`.
    public var status: InstanceViewStatus {
        InstanceViewStatus(code: "PowerState/\(name)", level: "Info", displayStatus: "VM \(name)")
    }
}
