import Foundation
import GRDB

/// One named setting of the appliance: a plain value, or a secret sealed under the master key (the snapshot tag
/// key, for example).
public struct SettingRecord: CatalogRecord, Hashable, Identifiable {
    public static let databaseTableName = "settings"

    /// The setting's name (`snapshot-tag-key`).
    public var name: String
    /// Its value, when it is not secret.
    public var value: String?
    /// Its value, sealed for ``SecretBinding/setting(_:)``, when it is secret.
    public var secret: SealedSecret?
    /// When it was last set.
    public var updated: Date

    public var id: String { name }

    /// A setting.
    public init(name: String, value: String? = nil, secret: SealedSecret? = nil, updated: Date) {
        self.name = name
        self.value = value
        self.secret = secret
        self.updated = updated
    }
}

extension SecretBinding {
    /// The secret value of the setting `name`.
    public static func setting(_ name: String) -> SecretBinding {
        SecretBinding(table: SettingRecord.databaseTableName, column: "secret", row: name)
    }
}
