import Foundation
import Testing

@testable import BackupRepository

@Suite struct KeyTests {
    @Test func wrongPasswordIsAClearError() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let error = await #expect(throws: RepositoryError.self) {
            _ = try await Repository.open(store: repository.store, password: "not the password")
        }
        #expect(error?.code == .wrongPassword)
        #expect(error?.description.contains("wrong password for repository at \(repository.store.location)") == true)
        #expect(error?.description.contains("not the password") == false)
    }

    @Test func severalPasswordsOpenTheSameRepository() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let second = try await repository.addKey(password: "second", label: "ops", parameters: .weakForTesting)
        #expect(try await repository.listKeys().count == 2)
        let viaSecond = try await Repository.open(store: repository.store, password: "second")
        #expect(viaSecond.openedWithKey == second.id)
        #expect(viaSecond.config.id == repository.config.id)
        let first = try #require(repository.openedWithKey)
        try await viaSecond.removeKey(id: first)
        await #expect(throws: RepositoryError.self) {
            _ = try await Repository.open(store: repository.store, password: Fixtures.password)
        }
        let error = await #expect(throws: RepositoryError.self) { try await viaSecond.removeKey(id: second.id) }
        #expect(error?.code == .lastKey)
        let missing = await #expect(throws: RepositoryError.self) { try await viaSecond.removeKey(id: "00") }
        #expect(missing?.code == .keyNotFound)
    }

    @Test func keysWrittenByOnePasswordDecryptDataWrittenByAnother() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        try await repository.addKey(password: "other", parameters: .weakForTesting)
        let image = Images.make(.text, size: 300_000)
        try Fixtures.write(image, to: folder.file("disk.img"))
        let id = try await repository.backup(source: FileDiskSource(path: folder.file("disk.img"))).restorePoint.id
        let other = try await Repository.open(store: repository.store, password: "other")
        #expect(try await Fixtures.restoreBytes(other, id, folder: folder) == image)
    }

    @Test func creatingTwiceAndOpeningNothingAreClearErrors() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let again = await #expect(throws: RepositoryError.self) {
            _ = try await Repository.create(
                store: repository.store,
                password: "x",
                options: Fixtures.options()
            )
        }
        #expect(again?.code == .alreadyExists)
        let empty = try LocalFolderStore(root: folder.file("empty"))
        let none = await #expect(throws: RepositoryError.self) {
            _ = try await Repository.open(store: empty, password: "x")
        }
        #expect(none?.code == .notARepository)
        let noPassword = await #expect(throws: RepositoryError.self) {
            _ = try await Repository.create(store: empty, password: nil, options: Fixtures.options())
        }
        #expect(noPassword?.code == .invalidArgument)
    }

    @Test func standardScryptParametersStayWithinTheMemoryBudget() {
        #expect(ScryptParameters.standard.memory <= 64 << 20)
        #expect(ScryptParameters.standard.n >= 1 << 15)
    }
}
