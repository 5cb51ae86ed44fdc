import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo init --repo DIR`: creates an encrypted repository; with `--linked-to SOURCE`, an archive
/// repository sharing the source's keys, into which `nimbus repo copy` copies restore points.
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

    @Option(
        help: ArgumentHelp(
            "Create an archive linked to this repository folder: it shares the source's keys (and block size), so "
                + "`nimbus repo copy` can copy restore points into it; its data packs go to the archive tier.",
            valueName: "dir"
        )
    )
    var linkedTo: String?

    @Option(help: ArgumentHelp("The password file of the --linked-to repository.", valueName: "file"))
    var sourcePasswordFile: String?

    @Option(
        help: ArgumentHelp("The pack size (1MiB-1GiB; default 16MiB, 256MiB with --linked-to).", valueName: "size")
    )
    var packSize: String?

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
        var linkedTo: String?
        var packSize: Int?
    }

    mutating func run() async throws {
        let path = try repository.path()
        var packBytes: Int?
        if let packSize {
            guard let bytes = Units.parseSize(packSize), let size = Int(exactly: bytes) else {
                throw ValidationError("'\(packSize)' is not a size: write e.g. 256MiB")
            }
            packBytes = size
        }
        if let linkedTo {
            try await createLinked(at: path, source: linkedTo, packSize: packBytes)
            return
        }
        var options = Repository.CreateOptions()
        if let packBytes { options.packTargetSize = packBytes }
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

    /// `--linked-to`: an archive repository sharing the source's keys.
    private func createLinked(at path: String, source sourcePath: String, packSize: Int?) async throws {
        guard blockSize == nil, compressionLevel == nil, !unencrypted else {
            throw ValidationError(
                "--block-size, --compression-level and --unencrypted come from the --linked-to repository; leave them out"
            )
        }
        let source = try await RepositoryFolder.open(sourcePath, passwordFile: sourcePasswordFile, role: "source")
        var options = Repository.LinkedCreateOptions()
        if let packSize { options.packTargetSize = packSize }
        options.keyLabel = label
        #if DEBUG
        if weakKeyDerivationForTesting { options.scrypt = .weakForTesting }
        #endif
        let password = source.config.isEncrypted ? try repository.passwords.newPassword() : nil
        let created = try await Repository.createLinked(
            store: try LocalFolderStore(root: path, create: true),
            password: password,
            source: source,
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
            keyID: created.openedWithKey,
            linkedTo: config.linkedTo,
            packSize: config.packTargetSize
        )
        try output.emit(report) {
            "created archive repository \(config.id) at \(path), linked to \(source.config.id) at \(sourcePath)\n"
                + "  packs \(Units.bytes(Int64(config.packTargetSize))), data packs "
                + (config.archivesDataPacks ? "moved to the archive tier where the store has one" : "online")
        }
    }
}
