import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo init --repo DIR`: creates an encrypted repository.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a repository protected by a password."
    )

    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("The block size (a power of two, 4KiB-4MiB).", valueName: "size"))
    var blockSize: String?

    @Option(help: ArgumentHelp("The zstd compression level for blocks (1-19).", valueName: "level"))
    var compressionLevel: Int?

    @Option(help: ArgumentHelp("A label for the first password.", valueName: "text"))
    var label = "initial"

    @Flag(help: "Store data unencrypted (anyone with the files can read them).")
    var unencrypted = false

    #if DEBUG
    /// Debug builds only: a cheap key derivation so that tests run fast.
    @Flag(help: .hidden)
    var weakKeyDerivationForTesting = false
    #endif

    @OptionGroup var output: OutputOptions

    /// What `init --json` prints.
    struct Report: Encodable {
        var repository: String
        var id: String
        var blockSize: Int
        var compressionLevel: Int
        var encryption: String
        var keyID: String?
    }

    mutating func run() async throws {
        let path = try repository.path()
        var options = Repository.CreateOptions()
        if let blockSize {
            guard let bytes = Units.parseSize(blockSize), let size = Int(exactly: bytes) else {
                throw ValidationError("'\(blockSize)' is not a size: write e.g. 256KiB")
            }
            options.blockSize = size
        }
        if let compressionLevel { options.compressionLevel = compressionLevel }
        options.encrypted = !unencrypted
        options.keyLabel = label
        #if DEBUG
        if weakKeyDerivationForTesting { options.scrypt = .weakForTesting }
        #endif

        let password = unencrypted ? nil : try repository.passwords.newPassword()
        let store = try LocalFolderStore(root: path, create: true)
        let created = try await Repository.create(
            store: store,
            password: password,
            options: options,
            logger: Log.logger
        )
        let config = created.config
        let report = Report(
            repository: path,
            id: config.id,
            blockSize: config.blockSize,
            compressionLevel: config.compressionLevel,
            encryption: config.encryption,
            keyID: created.openedWithKey
        )
        try output.emit(report) {
            "created repository \(config.id) at \(path)\n"
                + "  blocks \(Units.bytes(Int64(config.blockSize))), zstd level \(config.compressionLevel), "
                + "\(config.isEncrypted ? "encrypted with AES-256-GCM" : "UNENCRYPTED")\n"
                + (config.isEncrypted ? "  keep the password safe: without it the data cannot be read" : "")
        }
    }
}
