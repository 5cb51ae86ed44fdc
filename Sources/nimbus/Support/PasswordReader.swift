import Foundation

/// Finds the repository password: a password file, then `NIMBUS_PASSWORD`, then a terminal prompt.
struct PasswordReader: Sendable {
    /// The environment variable that holds the password for scripts.
    static let environmentVariable = "NIMBUS_PASSWORD"

    /// A file whose first line is the password (`--password-file`).
    var passwordFile: String?
    /// The process environment.
    var environment: [String: String] = ProcessInfo.processInfo.environment

    /// Reads the password to open an existing repository.
    func existingPassword() throws -> String {
        try password(prompt: "Repository password: ", confirm: false)
    }

    /// Reads the password for a new repository or key; a typed password is asked twice.
    func newPassword(prompt: String = "New repository password: ") throws -> String {
        try password(prompt: prompt, confirm: true)
    }

    private func password(prompt: String, confirm: Bool) throws -> String {
        let password: String
        if let passwordFile {
            password = try Self.readFirstLine(of: passwordFile)
        } else if let fromEnvironment = environment[Self.environmentVariable] {
            password = fromEnvironment
        } else {
            guard let typed = Terminal.readSecret(prompt: prompt) else {
                throw CommandFailure(
                    .failure,
                    "no password given: set \(Self.environmentVariable), pass --password-file FILE, "
                        + "or run on a terminal to be asked"
                )
            }
            if confirm {
                let again = Terminal.readSecret(prompt: "Repeat the password: ") ?? ""
                guard again == typed else {
                    throw CommandFailure(.failure, "the two passwords differ: run the command again")
                }
            }
            password = typed
        }
        guard !password.isEmpty else {
            throw CommandFailure(.failure, "the password is empty: choose a non-empty password")
        }
        return password
    }

    private static func readFirstLine(of path: String) throws -> String {
        let contents: Data
        do {
            contents = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure(
                .notFound,
                "cannot read the password file '\(path)': check that it exists and is readable"
            )
        }
        let text = String(decoding: contents, as: UTF8.self)
        let firstLine = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(firstLine.hasSuffix("\r") ? firstLine.dropLast() : firstLine)
    }
}
