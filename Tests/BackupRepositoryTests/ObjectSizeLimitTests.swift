import Foundation
import Testing

@testable import BackupRepository

/// Reads are capped before anything is allocated: an oversized object gives a clear error naming it.
@Suite struct ObjectSizeLimitTests {
    /// Makes `path` a sparse file of `size` bytes: it costs no disk, but a reader that trusts the size
    /// would allocate all of it.
    static func makeSparse(_ path: String, size: Int64) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
    }

    @Test func localFolderStoreRefusesAnOversizedObjectBeforeReadingIt() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path)
        try Self.makeSparse(folder.file("index/huge"), size: 6 << 30)
        let error = await #expect(throws: ObjectStoreError.self) {
            _ = try await store.get("index/huge", maxBytes: 1 << 20)
        }
        #expect(error?.code == .tooLarge)
        #expect(error?.description.contains("index/huge") == true)
        #expect(error?.description.contains("damaged") == true)
        let ranged = await #expect(throws: ObjectStoreError.self) {
            _ = try await store.get("index/huge", range: 0..<(2 << 20), maxBytes: 1 << 20)
        }
        #expect(ranged?.code == .tooLarge)
        #expect(try await store.get("index/huge", range: (6 << 30) - 10..<(6 << 30), maxBytes: 10) == Data(count: 10))
    }

    @Test func anOversizedKeyObjectStopsOpeningWithAClearError() async throws {
        let fixture = try await MaintenanceFixture.make(label: "nimbus-limits")
        defer { fixture.remove() }
        let key = "keys/00112233445566ff"
        try Self.makeSparse(fixture.store.root + "/" + key, size: 4 << 30)
        let error = await #expect(throws: ObjectStoreError.self) {
            _ = try await Repository.open(store: fixture.store, password: MaintenanceFixture.password)
        }
        #expect(error?.code == .tooLarge)
        #expect(error?.key == key)
    }

    @Test(arguments: ["locks/", "restorepoints/", "index/"])
    func oversizedMetadataIsRefusedByKind(prefix: String) async throws {
        let fixture = try await MaintenanceFixture.make(label: "nimbus-limits")
        defer { fixture.remove() }
        let name = prefix == "index/" ? String(repeating: "ab", count: 32) : String(repeating: "cd", count: 16)
        try Self.makeSparse(fixture.store.root + "/" + prefix + name, size: 3 << 30)
        let repository = fixture.repository
        await #expect {
            switch prefix {
            case "locks/": _ = try await repository.locks().list()
            case "restorepoints/": _ = try await repository.listRestorePoints()
            default: _ = try await repository.readIndexObject(prefix + name)
            }
        } throws: { error in
            let text = "\(error)"
            return text.contains(prefix + name) && (text.contains("too large") || text.contains("more than"))
        }
    }
}
