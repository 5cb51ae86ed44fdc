import Foundation

/// The repository's `config` object: its identity and the settings every writer must follow.
///
/// Stored as plain JSON (it holds no secret except, for an unencrypted repository, the MAC key).
public struct RepositoryConfig: Codable, Sendable, Hashable {
    /// Always `"nimbus-repository"`.
    public var format: String
    /// The format version; this engine reads and writes version 1.
    public var version: Int
    /// A random 128-bit repository ID (32 hex digits).
    public var id: String
    /// When the repository was created.
    public var created: Date
    /// The fixed block size in bytes (a power of two, 4 KiB–4 MiB).
    public var blockSize: Int
    /// The zstd level used for blocks (1–19).
    public var compressionLevel: Int
    /// `"aes-256-gcm"` or `"none"`.
    public var encryption: String
    /// How block identities are computed: `"hmac-sha256"`.
    public var identity: String
    /// The number of children of a restore point tree node.
    public var treeFanout: Int
    /// The size at which a pack is closed, in bytes.
    public var packTargetSize: Int
    /// The MAC key (base64), present only when `encryption` is `"none"`.
    public var macKey: String?
    /// The ID of the repository this one shares its data and MAC keys with (an archive made with
    /// `nimbus repo init --linked-to`), so that restore points can be copied between them; `nil` otherwise.
    public var linkedTo: String?
    /// `"archive"` when data packs are moved to the store's archive tier once written (see docs/FORMAT.md,
    /// "Archive repositories"); `nil` when every object stays online.
    public var dataPackTier: String?

    /// The only format version this engine understands.
    public static let currentVersion = 1
    /// The object key of the config object.
    public static let objectKey = "config"
    /// The object key of the config's copy, written at creation and used when `config` is lost.
    public static let copyObjectKey = "config-copy"

    /// Whether blocks and metadata are encrypted.
    public var isEncrypted: Bool { encryption == "aes-256-gcm" }

    /// Whether data packs go to the archive tier once written.
    public var archivesDataPacks: Bool { dataPackTier == ObjectTier.archive.rawValue }

    func validate(location: String) throws {
        guard format == "nimbus-repository" else {
            throw RepositoryError(
                .notARepository,
                "\(location) does not hold a Nimbus repository (config has format '\(format)'); check the path"
            )
        }
        guard version == Self.currentVersion else {
            throw RepositoryError(
                .unsupportedVersion,
                "the repository at \(location) uses format version \(version); this Nimbus reads version "
                    + "\(Self.currentVersion) — upgrade Nimbus"
            )
        }
        let sizeOK = blockSize.nonzeroBitCount == 1 && (4096...(4 << 20)).contains(blockSize)
        guard sizeOK, (1...22).contains(compressionLevel), (2...4096).contains(treeFanout),
            (1 << 20...(1 << 30)).contains(packTargetSize), identity == "hmac-sha256",
            encryption == "aes-256-gcm" || encryption == "none",
            dataPackTier == nil || dataPackTier == ObjectTier.archive.rawValue
        else {
            throw RepositoryError.damaged(Self.objectKey, location: location, "settings out of range")
        }
    }
}
