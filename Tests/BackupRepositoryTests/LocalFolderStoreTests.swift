import Foundation
import SystemPackage
import Testing

@testable import BackupRepository

@Suite struct LocalFolderStoreTests {
    @Test func putGetHeadDeleteRoundTrip() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path)
        try await store.put("a/b/c", contents: Data("hello".utf8))
        #expect(try await store.get("a/b/c") == Data("hello".utf8))
        #expect(try await store.get("a/b/c", range: 1..<3) == Data("el".utf8))
        #expect(try await store.get("a/b/c", range: 3..<100) == Data("lo".utf8))
        #expect(try await store.head("a/b/c")?.size == 5)
        #expect(try await store.head("a/b/missing") == nil)
        try await store.delete("a/b/c")
        try await store.delete("a/b/c")
        #expect(try await store.head("a/b/c") == nil)
        let error = await #expect(throws: ObjectStoreError.self) { try await store.get("a/b/c") }
        #expect(error?.code == .notFound)
    }

    @Test func createOnlyRefusesAnExistingObject() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path)
        try await store.put("locks/x", contents: Data("1".utf8), mode: .createOnly)
        let error = await #expect(throws: ObjectStoreError.self) {
            try await store.put("locks/x", contents: Data("2".utf8), mode: .createOnly)
        }
        #expect(error?.code == .alreadyExists)
        #expect(try await store.get("locks/x") == Data("1".utf8))
        try await store.put("locks/x", contents: Data("3".utf8), mode: .overwrite)
        #expect(try await store.get("locks/x") == Data("3".utf8))
    }

    @Test func listingIsSortedPagedAndSkipsTemporaryFiles() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path, pageSize: 3)
        for index in 0..<8 { try await store.put("packs/0\(index % 2)/item\(index)", contents: Data([UInt8(index)])) }
        try await store.put("other/thing", contents: Data())
        try Data("partial".utf8).write(to: URL(fileURLWithPath: folder.path + "/packs/00/.tmp-123"))
        var keys: [String] = []
        for try await object in store.objects(prefix: "packs/") { keys.append(object.key) }
        #expect(keys.count == 8)
        #expect(keys == keys.sorted())
        let first = try await store.list(prefix: "packs/", continuation: nil)
        #expect(first.objects.count == 3)
        #expect(first.continuation != nil)
        var narrowed: [String] = []
        for try await object in store.objects(prefix: "packs/01/") { narrowed.append(object.key) }
        #expect(narrowed == ["packs/01/item1", "packs/01/item3", "packs/01/item5", "packs/01/item7"])
    }

    @Test func invalidKeysAreRejected() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path)
        for key in ["", "/abs", "a/../b", "a//b", "with space", "a/.tmp-x"] {
            let error = await #expect(throws: ObjectStoreError.self) { try await store.put(key, contents: Data()) }
            #expect(error?.code == .invalidKey)
        }
    }

    @Test func missingRootIsReportedWhenNotCreating() throws {
        let folder = try TemporaryFolder()
        let error = #expect(throws: ObjectStoreError.self) {
            try LocalFolderStore(root: folder.file("absent"), create: false)
        }
        #expect(error?.code == .notFound)
    }
}

@Suite struct LocalFolderStoreErrorMappingTests {
    @Test func fullDiskBecomesNoSpaceWithAClearMessage() throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path)
        let error = store.failure(Errno.noSpace, key: "packs/ab/abcd", operation: "write")
        #expect(error.code == .noSpace)
        #expect(error.description.contains("packs/ab/abcd"))
        #expect(error.description.contains("full"))
        #expect(store.failure(Errno.permissionDenied, key: "k", operation: "open").code == .permissionDenied)
        #expect(store.failure(Errno.noSuchFileOrDirectory, key: "k", operation: "open").code == .notFound)
        #expect(store.failure(Errno.ioError, key: "k", operation: "read").code == .io)
    }
}
