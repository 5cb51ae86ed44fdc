import BackupRepository
import Foundation

/// Opening a repository folder named by an option other than `--repo` (the source of a linked archive, the two
/// ends of a copy), each with its own password file.
enum RepositoryFolder {
    /// Opens the repository at `path`, reading its password from `passwordFile` (else `$NIMBUS_PASSWORD`, else
    /// a prompt naming `role`).
    static func open(_ path: String, passwordFile: String?, role: String) async throws -> Repository {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandFailure(
                .notARepository,
                "the \(role) repository '\(path)' does not exist or is not a folder: check the path"
            )
        }
        let store = try LocalFolderStore(root: path, create: false)
        let passwords = PasswordReader(passwordFile: passwordFile)
        return try await Repository.open(store: store, logger: Log.logger) { try passwords.existingPassword() }
    }
}
