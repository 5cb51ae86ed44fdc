import Foundation
import GRDB

extension Catalog {
    /// The secret setting `name`, opened with `key`, or `nil` when it is not set.
    /// - Throws: ``ApplianceError/corrupt(_:)`` when it does not open with `key`.
    public func secretSetting(_ name: String, key: MasterKey) async throws -> String? {
        let row = try await record(SettingRecord.self, key: name)
        return try row?.secret?.open(with: key, for: .setting(name))
    }

    /// Seals `plaintext` with `key` and stores it as the secret setting `name`, replacing any value.
    public func setSecretSetting(_ name: String, to plaintext: String, key: MasterKey, at time: Date = Date())
        async throws
    {
        let sealed = try SealedSecret(sealing: plaintext, with: key, for: .setting(name))
        try await save(SettingRecord(name: name, secret: sealed, updated: time))
    }

    /// The secret setting `name`; when it is not set, `make()`'s value is sealed and stored first.
    ///
    /// The check and the store are one transaction, so two callers at once get the same value.
    public func secretSetting(
        _ name: String,
        key: MasterKey,
        creatingWith make: @escaping @Sendable () -> String,
        at time: Date = Date()
    ) async throws -> String {
        let sealed = try await write { db -> SealedSecret in
            if let stored = try SettingRecord.fetchOne(db, key: name)?.secret { return stored }
            let sealed = try SealedSecret(sealing: make(), with: key, for: .setting(name))
            try SettingRecord(name: name, secret: sealed, updated: time).insert(db)
            return sealed
        }
        return try sealed.open(with: key, for: .setting(name))
    }
}
