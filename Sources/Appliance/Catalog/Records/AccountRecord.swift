import Foundation
import GRDB

/// A cloud account the appliance works in: Azure (a service principal or a managed identity) or LocalCloud.
public struct AccountRecord: CatalogRecord, Hashable, Identifiable {
    public static let databaseTableName = "accounts"

    /// Where the account is.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Azure, through Entra ID.
        case azure
        /// The LocalCloud emulator, through its `endpoints.json`.
        case localcloud
    }

    /// The account's ID.
    public var id: UUID
    /// A unique name a person chose.
    public var name: String
    /// Azure or LocalCloud.
    public var kind: Kind
    /// The Entra ID tenant (Azure only).
    public var tenantID: String?
    /// The application (client) ID of the service principal; `nil` with a managed identity.
    public var clientID: String?
    /// The client secret, sealed for ``SecretBinding/accountClientSecret(_:)``.
    public var clientSecret: SealedSecret?
    /// Whether the appliance VM's managed identity is used instead of a client secret.
    public var usesManagedIdentity: Bool
    /// The subscriptions to discover VMs in.
    public var subscriptions: [String]
    /// The LocalCloud `endpoints.json` file (LocalCloud only).
    public var endpointsFile: String?
    /// When the account was added.
    public var created: Date

    /// An account; secrets are sealed by the caller with the row's ``id``.
    public init(
        id: UUID = UUID(),
        name: String,
        kind: Kind,
        tenantID: String? = nil,
        clientID: String? = nil,
        clientSecret: SealedSecret? = nil,
        usesManagedIdentity: Bool = false,
        subscriptions: [String] = [],
        endpointsFile: String? = nil,
        created: Date
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.tenantID = tenantID
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.usesManagedIdentity = usesManagedIdentity
        self.subscriptions = subscriptions
        self.endpointsFile = endpointsFile
        self.created = created
    }
}

extension SecretBinding {
    /// The client secret of the account `id`.
    public static func accountClientSecret(_ id: UUID) -> SecretBinding {
        SecretBinding(table: AccountRecord.databaseTableName, column: "clientSecret", row: id.uuidString)
    }
}
