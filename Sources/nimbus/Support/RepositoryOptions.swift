import ArgumentParser
import BackupRepository
import Foundation
import Logging

/// Where the repository is and how to unlock it: `--repo DIR` and `--password-file FILE`.
struct RepositoryOptions: ParsableArguments {
    /// The environment variable naming the repository when `--repo` is not given.
    static let repositoryVariable = "NIMBUS_REPOSITORY"

    @Option(
        name: .long,
        help: ArgumentHelp("The repository folder (default: $NIMBUS_REPOSITORY).", valueName: "dir")
    )
    var repo: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Read the password from the first line of this file (default: $NIMBUS_PASSWORD, else a prompt).",
            valueName: "file"
        )
    )
    var passwordFile: String?

    /// The repository folder from `--repo` or the environment.
    func path() throws -> String {
        if let repo { return repo }
        if let fromEnvironment = ProcessInfo.processInfo.environment[Self.repositoryVariable], !fromEnvironment.isEmpty
        {
            return fromEnvironment
        }
        throw ValidationError("no repository given: pass --repo DIR or set \(Self.repositoryVariable)")
    }

    /// The password source for this command.
    var passwords: PasswordReader { PasswordReader(passwordFile: passwordFile) }

    /// Opens the existing repository, asking for its password (only when it is encrypted).
    func open() async throws -> Repository {
        let store = try await store()
        let passwords = self.passwords
        return try await Repository.open(store: store, logger: Log.logger) { try passwords.existingPassword() }
    }

    /// The store of the repository folder, without opening it (no password: for the lock commands).
    func store() async throws -> LocalFolderStore {
        let path = try path()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandFailure(
                .notARepository,
                "'\(path)' does not exist or is not a folder: check --repo, or create one with `nimbus repo init`"
            )
        }
        // Whether the folder holds a repository is the engine's check (`Repository.open`).
        let store = try LocalFolderStore(root: path, create: false)
        return store
    }
}
