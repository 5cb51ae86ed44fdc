import AzureKit
import Foundation
import Testing

@testable import LocalCloud

@Suite struct PageStoreTests {
    private func makeStore() throws -> (PageStore, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pagestore-\(UUID().uuidString)")
        return (try PageStore(directory: folder), folder)
    }

    private func write(_ store: PageStore, _ volume: PageStore.VolumeID, at offset: Int64, byte: UInt8, pages: Int = 1)
        throws
    {
        let bytes = [UInt8](repeating: byte, count: pages * 512)
        try bytes.withUnsafeBytes { try store.write(volume, offset: offset, bytes: $0) }
    }

    @Test func snapshotsDiffToExactlyThePagesWrittenBetween() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let volume = try store.createVolume(size: 1 << 30)
        try write(store, volume, at: 0, byte: 1, pages: 8)
        let first = try store.snapshot(volume)
        try write(store, volume, at: 1 << 20, byte: 2)
        try write(store, volume, at: 512, byte: 3)
        try store.clear(volume, offset: 4096, length: 512)
        try write(store, volume, at: 4096, byte: 4)
        try store.clear(volume, offset: 2048, length: 1024)
        let second = try store.snapshot(volume)
        let diff = try store.diff(from: .snapshot(first), to: .snapshot(second), in: 0..<(1 << 30))
        #expect(
            diff == [
                .init(range: 512..<1024, cleared: false), .init(range: 2048..<3072, cleared: true),
                .init(range: 4096..<4608, cleared: false), .init(range: (1 << 20)..<((1 << 20) + 512), cleared: false),
            ]
        )
        #expect(try store.read(.snapshot(first), range: 512..<1024) == [UInt8](repeating: 1, count: 512))
        #expect(try store.read(.snapshot(second), range: 512..<1024) == [UInt8](repeating: 3, count: 512))
        #expect(try store.read(.snapshot(second), range: 2048..<2560) == [UInt8](repeating: 0, count: 512))
        #expect(
            try store.validRanges(of: .snapshot(second), in: 0..<(1 << 30)) == [
                0..<2048, 3072..<4096 + 512, (1 << 20)..<((1 << 20) + 512),
            ]
        )
    }

    @Test func aSnapshotCopiesNoData() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let volume = try store.createVolume(size: 64 << 20)
        try write(store, volume, at: 0, byte: 9, pages: 2048)
        _ = try store.snapshot(volume)
        let layers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("layers").path)
        let dataBytes = try layers.filter { $0.hasSuffix(".data") }.reduce(Int64(0)) { total, name in
            let attributes = try FileManager.default.attributesOfItem(
                atPath: folder.appendingPathComponent("layers/\(name)").path
            )
            return total + ((attributes[.size] as? Int64) ?? 0)
        }
        #expect(dataBytes == 1 << 20)
    }

    @Test func volumesForkFromSnapshotsAndSurviveReopening() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let volume = try store.createVolume(size: 1 << 20)
        try write(store, volume, at: 1024, byte: 7)
        let snapshot = try store.snapshot(volume)
        let fork = try store.createVolume(size: 1 << 20, from: snapshot)
        try write(store, fork, at: 0, byte: 5)
        try write(store, volume, at: 1024, byte: 8)
        let reopened = try PageStore(directory: folder)
        #expect(try reopened.read(.volume(fork), range: 0..<512) == [UInt8](repeating: 5, count: 512))
        #expect(try reopened.read(.volume(fork), range: 1024..<1536) == [UInt8](repeating: 7, count: 512))
        #expect(try reopened.read(.volume(volume), range: 1024..<1536) == [UInt8](repeating: 8, count: 512))
        #expect(
            try reopened.diff(from: .snapshot(snapshot), to: .volume(fork), in: 0..<(1 << 20)) == [
                .init(range: 0..<512, cleared: false)
            ]
        )
    }

    @Test func unrelatedVersionsCannotBeDiffed() throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let one = try store.createVolume(size: 4096)
        let two = try store.createVolume(size: 4096)
        let snapshot = try store.snapshot(one)
        #expect(throws: LocalCloudError.self) {
            try store.diff(from: .snapshot(snapshot), to: .volume(two), in: 0..<4096)
        }
    }
}
