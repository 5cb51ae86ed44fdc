import Foundation
import Testing

@testable import BackupRepository

/// Damaged, deleted or mismatched key and config objects, made by editing the real files.
@Suite struct RepositoryIdentityTests {
    let folder: TemporaryFolder
    let repository: Repository

    init() async throws {
        folder = try TemporaryFolder()
        repository = try await Fixtures.repository(in: folder)
    }

    private var root: String { folder.file("repo") }

    private func file(_ key: String) -> URL { URL(fileURLWithPath: root + "/" + key) }

    private func keyObjectKeys() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root + "/keys").filter { !$0.hasPrefix(".") }.sorted()
            .map { "keys/" + $0 }
    }

    private func openError(_ password: String = Fixtures.password) async -> RepositoryError? {
        await #expect(throws: RepositoryError.self) {
            _ = try await Repository.open(store: LocalFolderStore(root: root), password: password)
        }
    }

    /// Rewrites one JSON field of an object in place.
    private func edit(_ key: String, _ change: (inout [String: Any]) -> Void) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file(key))) as? [String: Any])
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: file(key))
    }

    @Test func aDeletedOnlyKeyIsReportedAsMissingNotAsAWrongPassword() async throws {
        for key in try keyObjectKeys() { try FileManager.default.removeItem(at: file(key)) }
        let error = await openError()
        #expect(error?.code == .missingObject)
        #expect(error?.message.contains("no key objects under 'keys/'") == true)
    }

    @Test func anAlteredKeyIsReportedAsDamaged() async throws {
        let key = try #require(try keyObjectKeys().first)
        try edit(key) { object in
            var wrapped = Data(base64Encoded: object["wrapped"] as? String ?? "") ?? Data()
            wrapped[20] ^= 0x01
            object["wrapped"] = wrapped.base64EncodedString()
        }
        let error = await openError()
        #expect(error?.code == .damagedObject)
        #expect(error?.objectKey == key)
        #expect(error?.message.contains("'\(key)'") == true)
        #expect(error?.message.contains("altered") == true)
    }

    @Test func anUndecodableKeyDoesNotBlockTheOthers() async throws {
        let second = try await repository.addKey(password: "second", parameters: .weakForTesting)
        let first = try #require(repository.openedWithKey)
        try Data("{not json".utf8).write(to: file("keys/" + first))

        let opened = try await Repository.open(store: LocalFolderStore(root: root), password: "second")
        #expect(opened.openedWithKey == second.id)
        #expect(try await opened.listKeys().map(\.id) == [second.id])
        let problems = try await opened.keyProblems()
        #expect(problems.map(\.kind) == [.damaged, .weak])
        #expect(problems.first?.objectKey == "keys/" + first)

        // The password of the damaged key now meets only damage, and says so.
        let error = await openError()
        #expect(error?.code == .damagedObject)
        #expect(error?.message.contains("keys/\(first)") == true)

        // A damaged key can be removed, even though it is not listed.
        try await opened.removeKey(id: first)
        #expect(await openError()?.code == .wrongPassword)
    }

    @Test func anAlteredConfigIDIsReportedAsAConfigMismatch() async throws {
        try edit("config") { $0["id"] = String(repeating: "ab", count: 16) }
        let error = await openError()
        #expect(error?.code == .damagedObject)
        #expect(error?.objectKey == "config")
        #expect(error?.message.contains("belong to repository \(repository.config.id)") == true)
        #expect(error?.message.contains("config-copy") == true)
    }

    @Test func aWrongPasswordIsStillAWrongPassword() async {
        let error = await openError("not it")
        #expect(error?.code == .wrongPassword)
    }

    @Test func aLostConfigIsRestoredFromItsCopy() async throws {
        let path = folder.file("disk.img")
        let image = Images.make(.text, size: 150_000, seed: 2)
        try Fixtures.write(image, to: path)
        let id = try await repository.backup(source: FileDiskSource(path: path)).restorePoint.id
        try FileManager.default.removeItem(at: file("config"))

        // init refuses the folder: it still holds a repository.
        let refused = await #expect(throws: RepositoryError.self) {
            _ = try await Repository.create(
                store: LocalFolderStore(root: root),
                password: "new",
                options: Fixtures.options()
            )
        }
        #expect(refused?.code == .alreadyExists)
        #expect(refused?.message.contains("config-copy") == true)

        let reopened = try await Repository.open(store: LocalFolderStore(root: root), password: Fixtures.password)
        #expect(reopened.config.id == repository.config.id)
        let restored = try Repository.jsonDecoder().decode(
            RepositoryConfig.self,
            from: Data(contentsOf: file("config"))
        )
        #expect(restored.id == repository.config.id && restored.blockSize == repository.config.blockSize)
        #expect(try await Fixtures.restoreBytes(reopened, id, folder: folder) == image)
    }

    @Test func losingConfigAndItsCopyIsNamedAndInitStillRefuses() async throws {
        try FileManager.default.removeItem(at: file("config"))
        try FileManager.default.removeItem(at: file("config-copy"))
        let error = await openError()
        #expect(error?.code == .missingObject)
        #expect(error?.message.contains("do not run `nimbus repo init`") == true)
        let refused = await #expect(throws: RepositoryError.self) {
            _ = try await Repository.create(
                store: LocalFolderStore(root: root),
                password: "new",
                options: Fixtures.options()
            )
        }
        #expect(refused?.objectKey?.hasPrefix("keys/") == true)
    }

    @Test func weakKeysAreNamedWithHowToReplaceThem() async throws {
        let problems = try await repository.keyProblems()
        let key = try #require(repository.openedWithKey)
        #expect(problems.count == 1)
        #expect(problems.first?.kind == .weak)
        #expect(problems.first?.message.contains("key \(key)") == true)
        #expect(problems.first?.message.contains("nimbus repo key remove \(key)") == true)
        #expect(ScryptParameters.weakForTesting.isWeaker(than: .standard))
        #expect(!ScryptParameters.standard.isWeaker(than: .standard))
        #expect(!ScryptParameters(n: 1 << 17, r: 8, p: 1).isWeaker(than: .standard))
    }
}
