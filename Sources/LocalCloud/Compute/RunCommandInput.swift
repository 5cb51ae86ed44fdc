/// The body of `POST …/virtualMachines/{vm}/runCommand`, as Azure defines it.
public struct RunCommandInput: Codable, Sendable, Equatable {
    /// One parameter: a name and a value. Named parameters reach the script as environment variables;
    /// parameters without a name become positional arguments.
    public struct Parameter: Codable, Sendable, Equatable {
        /// The variable name, or empty for a positional argument.
        public var name: String?
        /// The value.
        public var value: String?

        /// Creates a parameter.
        public init(name: String?, value: String?) {
            self.name = name
            self.value = value
        }
    }

    /// The command: `RunShellScript` runs `script`.
    public var commandId: String
    /// The script, one line per element.
    public var script: [String]?
    /// The script's parameters.
    public var parameters: [Parameter]?

    /// Creates a run command request.
    public init(commandId: String, script: [String]?, parameters: [Parameter]? = nil) {
        self.commandId = commandId
        self.script = script
        self.parameters = parameters
    }

    /// The command that runs a shell script on Linux.
    public static let runShellScript = "RunShellScript"
}
