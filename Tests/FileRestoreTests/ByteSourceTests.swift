import Testing

@testable import FileRestore

@Suite struct ByteSourceTests {
    @Test func sliceReadsItsWindowAndRefusesReadsPastItsEnd() async throws {
        let base = InMemoryByteSource(Array(0..<100))
        let slice = try ByteSourceSlice(base, offset: 10, size: 20)
        #expect(try await slice.read(at: 0, count: 3) == [10, 11, 12])
        #expect(try await slice.read(at: 17, count: 3) == [27, 28, 29])
        await #expect(throws: FileRestoreError.self) { try await slice.read(at: 18, count: 3) }
        await #expect(throws: FileRestoreError.self) { try await slice.read(at: UInt64.max, count: 1) }
        #expect(throws: FileRestoreError.self) { try ByteSourceSlice(base, offset: 90, size: 11) }
    }
}
