import Foundation
import Testing

@testable import Appliance

@Suite struct CatalogSecretTests {
    @Test func aSealedSecretOpensOnlyWithItsKeyAndWhereItWasSealed() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let key = try await MasterKey.create(at: folder.file("master.key"))
        let other = try await MasterKey.create(at: folder.file("other.key"))
        let id = UUID()
        let sealed = try SealedSecret(sealing: "hunter2-client-secret", with: key, for: .accountClientSecret(id))
        #expect(try sealed.open(with: key, for: .accountClientSecret(id)) == "hunter2-client-secret")
        #expect(!sealed.description.contains("hunter2"))
        #expect(!String(describing: key).contains(sealed.base64))
        // Two seals of one value differ (a fresh nonce each time).
        #expect(try SealedSecret(sealing: "hunter2-client-secret", with: key, for: .accountClientSecret(id)) != sealed)

        do {
            _ = try sealed.open(with: other, for: .accountClientSecret(id))
            Issue.record("a secret opened with another key")
        } catch {
            #expect(error.description.contains("accounts.clientSecret of row \(id.uuidString)"))
            #expect(error.description.contains(folder.file("other.key")))
            #expect(!error.description.contains("hunter2"))
        }
        // Bound to its row and column: copied elsewhere it does not open.
        #expect(throws: ApplianceError.self) { try sealed.open(with: key, for: .accountClientSecret(UUID())) }
        #expect(throws: ApplianceError.self) { try sealed.open(with: key, for: .repositoryPassword(id)) }
        // A changed byte does not open.
        var bytes = try #require(Data(base64Encoded: sealed.base64))
        bytes[bytes.count / 2] ^= 0x01
        let tampered = SealedSecret(base64: bytes.base64EncodedString())
        #expect(throws: ApplianceError.self) { try tampered.open(with: key, for: .accountClientSecret(id)) }
        #expect(throws: ApplianceError.self) {
            try SealedSecret(base64: "not base64!").open(with: key, for: .accountClientSecret(id))
        }
    }

    @Test func theCatalogFileHoldsSecretsOnlySealed() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let key = try await MasterKey.create(at: folder.file("master.key"))
        let catalog = try await folder.catalog()
        let secret = "plaintext-client-secret-5f1c"
        let password = "plaintext-repository-password-9a2e"
        let account = AccountRecord(
            name: "visible-account-name-7d3b",
            kind: .azure,
            tenantID: "t",
            clientID: "c",
            clientSecret: nil,
            created: CatalogTestTime.at(0)
        )
        var sealedAccount = account
        sealedAccount.clientSecret = try SealedSecret(sealing: secret, with: key, for: .accountClientSecret(account.id))
        try await catalog.insert(sealedAccount)
        let repositoryID = UUID()
        try await catalog.insert(
            RepositoryRecord(
                id: repositoryID,
                name: "r",
                kind: .backup,
                localPath: "/r",
                password: try SealedSecret(sealing: password, with: key, for: .repositoryPassword(repositoryID)),
                created: CatalogTestTime.at(0)
            )
        )
        let bytes = try folder.catalogBytes()
        // The check can fail: a field that is not secret is found in the same bytes.
        #expect(bytes.range(of: Data("visible-account-name-7d3b".utf8)) != nil)
        #expect(bytes.range(of: Data(secret.utf8)) == nil)
        #expect(bytes.range(of: Data(password.utf8)) == nil)

        let stored = try #require(try await catalog.record(AccountRecord.self, key: account.id))
        let reopened = try await MasterKey.load(from: folder.file("master.key"))
        #expect(try stored.clientSecret?.open(with: reopened, for: .accountClientSecret(account.id)) == secret)
    }

    @Test func theKeyFileIsCreatedOwnerOnlyAndRefusedWhenOthersMayReadIt() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let path = folder.file("master.key")
        let key = try await MasterKey.create(at: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((attributes[.size] as? Int) == 32)
        let loaded = try await MasterKey.load(from: path)
        let sealed = try SealedSecret(sealing: "x", with: key, for: .workerKey("w"))
        #expect(try sealed.open(with: loaded, for: .workerKey("w")) == "x")

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        await #expect {
            _ = try await MasterKey.load(from: path)
        } throws: { error in
            "\(error)".contains("chmod 600 \(path)")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        _ = try await MasterKey.load(from: path)
    }

    @Test func anExistingKeyIsNeverOverwrittenAndAShortOneIsRefused() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let path = folder.file("master.key")
        _ = try await MasterKey.create(at: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        await #expect(throws: ApplianceError.self) { _ = try await MasterKey.create(at: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)

        let short = folder.file("short.key")
        try Data(repeating: 1, count: 16).write(to: URL(fileURLWithPath: short))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: short)
        await #expect {
            _ = try await MasterKey.load(from: short)
        } throws: { error in
            "\(error)".contains(short) && "\(error)".contains("16 bytes")
        }
        await #expect {
            _ = try await MasterKey.load(from: folder.file("none.key"))
        } throws: { error in
            "\(error)".contains("does not exist")
        }
    }

    @Test func aSecretSettingIsCreatedOnceSealedAndReadBack() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let key = try await MasterKey.create(at: folder.file("master.key"))
        let catalog = try await folder.catalog()
        #expect(try await catalog.secretSetting("snapshot-tag-key", key: key) == nil)
        let first = try await catalog.secretSetting("snapshot-tag-key", key: key) { "tag-key-value-1c9d" }
        let second = try await catalog.secretSetting("snapshot-tag-key", key: key) { "another-value" }
        #expect(first == "tag-key-value-1c9d")
        #expect(second == first)
        #expect(try folder.catalogBytes().range(of: Data(first.utf8)) == nil)

        try await catalog.setSecretSetting("snapshot-tag-key", to: "rotated", key: key)
        #expect(try await catalog.secretSetting("snapshot-tag-key", key: key) == "rotated")
        let other = try await MasterKey.create(at: folder.file("other.key"))
        await #expect(throws: ApplianceError.self) {
            _ = try await catalog.secretSetting("snapshot-tag-key", key: other)
        }
    }
}
