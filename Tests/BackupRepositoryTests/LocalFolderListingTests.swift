import Foundation
import Testing

@testable import BackupRepository

#if canImport(Glibc)
import Glibc
#endif

/// ``LocalFolderStore/list(prefix:continuation:)``: one ordered walk per page that resumes after its key.
@Suite struct LocalFolderListingTests {
    /// Collects every key under `prefix`, page by page, and the number of pages.
    private func allKeys(_ store: LocalFolderStore, prefix: String) async throws -> (keys: [String], pages: Int) {
        var keys: [String] = []
        var pages = 0
        var continuation: String?
        repeat {
            let page = try await store.list(prefix: prefix, continuation: continuation)
            #expect(page.objects.count <= store.pageSize)
            keys += page.objects.map(\.key)
            pages += 1
            continuation = page.continuation
        } while continuation != nil
        return (keys, pages)
    }

    @Test func pagesAcrossNestedFoldersFollowKeyOrder() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path, pageSize: 7)
        // Names around '/': '-' and '.' sort before it, so "a-b" and "a.b" come before everything in "a/".
        var expected: [String] = []
        for top in ["a", "a-b", "a.b", "a0", "b"] {
            for inner in ["x", "x-1", "x.1", "y"] {
                for leaf in 0..<4 { expected.append("\(top)/\(inner)/k\(leaf)") }
            }
            expected.append("\(top)-file")
        }
        for key in expected.shuffled() { try await store.put(key, contents: Data(key.utf8)) }
        try Data("partial".utf8).write(to: URL(fileURLWithPath: folder.path + "/a/x/.tmp-abandoned"))

        let (keys, pages) = try await allKeys(store, prefix: "")
        #expect(keys == expected.sorted())
        #expect(pages == (expected.count + 6) / 7)

        let narrowed = try await allKeys(store, prefix: "a/x")
        #expect(narrowed.keys == expected.filter { $0.hasPrefix("a/x") }.sorted())
        let object = try #require(try await store.list(prefix: "a-b/y/k2", continuation: nil).objects.first)
        #expect(object.key == "a-b/y/k2")
        #expect(object.size == Int64("a-b/y/k2".utf8.count))
        #expect(try await store.list(prefix: "missing/", continuation: nil).objects.isEmpty)
    }

    @Test func keysAddedOrRemovedBetweenPagesFollowTheirPlaceInTheOrder() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path, pageSize: 4)
        for index in 0..<12 { try await store.put("packs/\(index % 3)/k\(10 + index)", contents: Data([1])) }
        let first = try await store.list(prefix: "packs/", continuation: nil)
        let last = try #require(first.continuation)
        #expect(first.objects.map(\.key) == ["packs/0/k10", "packs/0/k13", "packs/0/k16", "packs/0/k19"])

        try await store.put("packs/0/k00", contents: Data([2]))  // before the continuation: not seen
        try await store.put("packs/9/k99", contents: Data([2]))  // after it: seen
        try await store.delete("packs/1/k11")  // after it, removed: not seen, no error
        try FileManager.default.removeItem(atPath: folder.path + "/packs/2")  // a whole folder vanishes

        var rest: [String] = []
        var continuation: String? = last
        while let key = continuation {
            let page = try await store.list(prefix: "packs/", continuation: key)
            rest += page.objects.map(\.key)
            continuation = page.continuation
        }
        #expect(rest == ["packs/1/k14", "packs/1/k17", "packs/1/k20", "packs/9/k99"])
    }

    /// A folder that cannot be opened gives an error instead of an incomplete listing. Permissions do not stop
    /// root, so the folder is made unreachable by a path longer than the system allows.
    @Test func aFolderThatCannotBeReadIsAnError() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path)
        try await store.put("packs/aa/k1", contents: Data([1]))
        let part = String(repeating: "d", count: 250)
        var descriptor = open(folder.path + "/packs", O_RDONLY | O_DIRECTORY)
        #expect(descriptor >= 0)
        for _ in 0..<20 {
            #expect(mkdirat(descriptor, part, 0o755) == 0)
            let next = openat(descriptor, part, O_RDONLY | O_DIRECTORY)
            close(descriptor)
            descriptor = next
            #expect(descriptor >= 0)
        }
        close(descriptor)
        defer {
            // FileManager cannot remove a path this long; `rm` walks it relative to each folder.
            let remover = Process()
            remover.executableURL = URL(fileURLWithPath: "/bin/rm")
            remover.arguments = ["-rf", folder.path + "/packs/" + part]
            try? remover.run()
            remover.waitUntilExit()
        }
        let error = await #expect(throws: ObjectStoreError.self) {
            _ = try await store.list(prefix: "packs/", continuation: nil)
        }
        #expect(error?.code == .io)
        #expect(error?.description.contains("cannot list") == true)
    }

    @Test(.enabled(if: geteuid() != 0, "root reads any folder"))
    func aFolderWithoutReadPermissionIsAnError() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path)
        try await store.put("packs/aa/k1", contents: Data([1]))
        #expect(chmod(folder.path + "/packs/aa", 0) == 0)
        defer { chmod(folder.path + "/packs/aa", 0o755) }
        let error = await #expect(throws: ObjectStoreError.self) {
            _ = try await store.list(prefix: "packs/", continuation: nil)
        }
        #expect(error?.code == .permissionDenied)
    }

    @Test func objectsAreCreatedReadOnlyAndCanStillBeReplacedAndDeleted() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path)
        try await store.put("config", contents: Data("one".utf8))
        let mode = try #require(
            try FileManager.default.attributesOfItem(atPath: folder.file("config"))[.posixPermissions] as? Int
        )
        #expect(mode & 0o222 == 0)
        #expect(mode & 0o400 != 0)
        try await store.put("config", contents: Data("two".utf8), mode: .overwrite)
        #expect(try await store.get("config") == Data("two".utf8))
        try await store.delete("config")
        #expect(try await store.head("config") == nil)
    }

    @Test func abandonedTemporaryFilesOlderThanTheCutoffAreRemoved() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path)
        try await store.put("packs/aa/kept", contents: Data([1]))
        let old = folder.path + "/packs/aa/.tmp-old"
        let fresh = folder.path + "/packs/aa/.tmp-fresh"
        let oldTop = folder.path + "/.tmp-top"
        for path in [old, fresh, oldTop] { try Data(count: 4096).write(to: URL(fileURLWithPath: path)) }
        let now = Date()
        for path in [old, oldTop] {
            try FileManager.default.setAttributes(
                [.modificationDate: now.addingTimeInterval(-7200)],
                ofItemAtPath: path
            )
        }
        let removed = try await store.removeAbandonedTemporaryFiles(modifiedBefore: now.addingTimeInterval(-3600))
        #expect(removed.files == 2)
        #expect(removed.bytes == 8192)
        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(!FileManager.default.fileExists(atPath: oldTop))
        #expect(FileManager.default.fileExists(atPath: fresh))
        #expect(try await store.get("packs/aa/kept") == Data([1]))
    }
}
