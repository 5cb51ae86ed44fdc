import Foundation
import GRDB

/// A backup or archive repository the appliance writes restore points into.
public struct RepositoryRecord: CatalogRecord, Hashable, Identifiable {
    public static let databaseTableName = "repositories"

    /// What the repository is for.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Backups are written here.
        case backup
        /// Restore points are copied here from a linked backup repository.
        case archive
    }

    /// The repository's ID.
    public var id: UUID
    /// A unique name a person chose.
    public var name: String
    /// Backup or archive.
    public var kind: Kind
    /// The Blob container's URL, for a repository in Blob storage.
    public var containerURL: String?
    /// The prefix inside the container (empty for the whole container).
    public var prefix: String?
    /// The folder, for a repository on the appliance's file system.
    public var localPath: String?
    /// The region of the storage account (where its workers run).
    public var region: String?
    /// The repository password, sealed for ``SecretBinding/repositoryPassword(_:)``.
    public var password: SealedSecret
    /// The Blob credential (a SAS or an account key), sealed for ``SecretBinding/repositoryCredential(_:)``.
    public var credential: SealedSecret?
    /// For an archive: the backup repository it shares keys with.
    public var linkedTo: UUID?
    /// When the repository was added.
    public var created: Date

    /// A repository; secrets are sealed by the caller with the row's ``id``.
    public init(
        id: UUID = UUID(),
        name: String,
        kind: Kind,
        containerURL: String? = nil,
        prefix: String? = nil,
        localPath: String? = nil,
        region: String? = nil,
        password: SealedSecret,
        credential: SealedSecret? = nil,
        linkedTo: UUID? = nil,
        created: Date
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.containerURL = containerURL
        self.prefix = prefix
        self.localPath = localPath
        self.region = region
        self.password = password
        self.credential = credential
        self.linkedTo = linkedTo
        self.created = created
    }
}

extension SecretBinding {
    /// The password of the repository `id`.
    public static func repositoryPassword(_ id: UUID) -> SecretBinding {
        SecretBinding(table: RepositoryRecord.databaseTableName, column: "password", row: id.uuidString)
    }

    /// The Blob credential of the repository `id`.
    public static func repositoryCredential(_ id: UUID) -> SecretBinding {
        SecretBinding(table: RepositoryRecord.databaseTableName, column: "credential", row: id.uuidString)
    }
}
