import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo key add`: adds a password.
struct KeyAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a password that opens the repository."
    )

    /// The environment variable that holds the new password for scripts.
    static let newPasswordVariable = "NIMBUS_NEW_PASSWORD"

    @OptionGroup var repository: RepositoryOptions

    @Option(
        help: ArgumentHelp(
            "Read the new password from the first line of this file (default: $NIMBUS_NEW_PASSWORD, else a prompt).",
            valueName: "file"
        )
    )
    var newPasswordFile: String?

    @Option(help: ArgumentHelp("A label for the new password, e.g. who holds it.", valueName: "text"))
    var label = ""

    #if DEBUG
    /// Debug builds only: a cheap key derivation so that tests run fast.
    @Flag(help: .hidden)
    var weakKeyDerivationForTesting = false
    #endif

    @OptionGroup var output: OutputOptions

    mutating func run() async throws {
        let opened = try await repository.open()
        var environment = ProcessInfo.processInfo.environment
        environment[PasswordReader.environmentVariable] = environment[Self.newPasswordVariable]
        let reader = PasswordReader(passwordFile: newPasswordFile, environment: environment)
        let password = try reader.newPassword(prompt: "New password: ")
        #if DEBUG
        let parameters: ScryptParameters = weakKeyDerivationForTesting ? .weakForTesting : .standard
        #else
        let parameters = ScryptParameters.standard
        #endif
        let key = try await opened.addKey(password: password, label: label, parameters: parameters)
        try output.emit(KeyListCommand.Entry(key, current: false)) {
            "added key \(key.id)" + (label.isEmpty ? "" : " (\(label))")
        }
    }
}
