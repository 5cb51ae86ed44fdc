import Foundation
import Testing

@testable import BackupRepository

/// Large page-aligned objects (packs) bypass the page cache; every shape of object must still round-trip exactly.
@Suite struct DirectWriteTests {
    /// `count` bytes of a repeating pattern in page-aligned memory, as a finished pack is.
    func alignedData(count: Int) -> Data {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 4096)
        for index in 0..<count { memory[index] = UInt8(truncatingIfNeeded: index &* 31 &+ index >> 12) }
        return Data(
            bytesNoCopy: memory.baseAddress!,
            count: count,
            deallocator: .custom { pointer, _ in pointer.deallocate() }
        )
    }

    @Test(arguments: [DirectIO.minimumSize, 3 << 20, (3 << 20) + 123, (1 << 20) + 4095, (1 << 20) - 1])
    func alignedObjectsRoundTrip(count: Int) async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path)
        let contents = alignedData(count: count)
        try await store.put("packs/ab/direct", contents: contents)
        #expect(try await store.head("packs/ab/direct")?.size == Int64(count))
        #expect(try await store.get("packs/ab/direct") == contents)
        #expect(
            try await store.get("packs/ab/direct", range: Int64(count - 5000)..<Int64(count)) == contents.suffix(5000)
        )
        // Create-only writes take the same path and still refuse an existing name.
        try await store.put("packs/ab/other", contents: contents, mode: .createOnly)
        #expect(try await store.get("packs/ab/other") == contents)
        await #expect(throws: ObjectStoreError.self) {
            try await store.put("packs/ab/other", contents: contents, mode: .createOnly)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/packs/ab")
        #expect(leftovers.sorted() == ["direct", "other"])
    }

    @Test func unalignedLargeObjectsRoundTrip() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path)
        // One byte into an aligned buffer: not aligned, so written through the page cache.
        let aligned = alignedData(count: (2 << 20) + 1)
        let contents = aligned.subdata(in: 1..<aligned.count)
        try await store.put("packs/cd/plain", contents: contents)
        #expect(try await store.get("packs/cd/plain") == contents)
    }

    @Test func anOverwriteReplacesALongerObjectCompletely() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path)
        try await store.put("packs/ef/x", contents: alignedData(count: 4 << 20))
        let shorter = alignedData(count: (2 << 20) + 77)
        try await store.put("packs/ef/x", contents: shorter)
        #expect(try await store.get("packs/ef/x") == shorter)
    }
}
