import AzureKit
import BackupRepository
import Foundation
import LocalCloud
import LocalCloudTesting
import Testing

@testable import Worker

@Suite struct SnapshotDiskSourceTests {
    static let gib: Int64 = 1 << 30
    static let mib: Int64 = 1 << 20

    /// Deterministic bytes that do not repeat within a range.
    static func bytes(_ count: Int, seed: UInt64) -> Data {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var data = Data(count: count)
        data.withUnsafeMutableBytes { (raw: UnsafeMutableRawBufferPointer) in
            for index in 0..<count {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                raw[index] = UInt8(truncatingIfNeeded: state)
            }
        }
        return data
    }

    /// Data extents of the test image: (offset, length).
    static let extents: [(Int64, Int)] = [
        (0, Int(mib)), (300 * mib + 4096, 3 * Int(mib)), (700 * mib, 512 * 1024), (gib - mib, Int(mib)),
    ]

    /// Writes a sparse 1 GiB image with `extents` of data into `folder` and returns it.
    static func image(in folder: URL) throws -> URL {
        let url = folder.appending(path: "image.raw")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(gib))
        for (index, (offset, length)) in extents.enumerated() {
            try handle.seek(toOffset: UInt64(offset))
            try handle.write(contentsOf: bytes(length, seed: UInt64(index + 1)))
        }
        return url
    }

    /// Reads `ranges` through `source` and checks them against `expected` (the file), returning the bytes read.
    static func check(_ source: SnapshotDiskSource, ranges: [ByteRange], against file: URL) async throws {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        for range in ranges {
            var offset = range.offset
            while offset < range.end {
                let length = Int(min(range.end - offset, 4 * mib))
                let read = try await source.read(at: offset, length: length)
                try handle.seek(toOffset: UInt64(offset))
                let expected = try handle.read(upToCount: length) ?? Data()
                #expect(read == expected, "bytes at \(offset) differ")
                offset += Int64(length)
            }
        }
    }

    @Test func fullReadListsOnlyAllocatedRangesWithPagingAndReadsThemByteIdentical() async throws {
        try await WorkerCloud.with { cloud in
            let disk = try await cloud.emptyDisk("data1")
            let image = try Self.image(in: cloud.folder)
            try await cloud.guest().importImage(disk: disk, file: image)
            let sas = try await cloud.snapshotSAS("snap1", of: disk)

            let source = try await SnapshotDiskSource.open(
                client: cloud.client,
                sasURL: sas,
                diskName: "lun 0",
                options: SnapshotReadOptions(pageListSize: 1),
                logger: WorkerCloud.quiet
            )
            #expect(source.size == Self.gib)
            let allocated = try await source.allocatedRanges()
            // Every extent lies inside an allocated range, and nothing else is listed beyond their 4 MiB pieces.
            for (offset, length) in Self.extents {
                #expect(allocated.contains { $0.offset <= offset && $0.end >= offset + Int64(length) })
            }
            let total = allocated.reduce(0) { $0 + $1.length }
            #expect(total <= 5 * 4 * Self.mib)
            #expect(allocated.count >= 3)
            try await Self.check(source, ranges: allocated, against: image)
            #expect(source.bytesRead == total)
        }
    }

    @Test func diffListsExactlyTheGuestsWritesAndReadsOnlyThem() async throws {
        try await WorkerCloud.with { cloud in
            let disk = try await cloud.emptyDisk("data2")
            let image = try Self.image(in: cloud.folder)
            try await cloud.guest().importImage(disk: disk, file: image)
            let first = try await cloud.snapshotSAS("snapA", of: disk)
            let plan = try await cloud.guest().mutate(disk: disk, percent: 0.5, seed: 11)
            let second = try await cloud.snapshotSAS("snapB", of: disk)

            let old = try await SnapshotDiskSource.open(
                client: cloud.client,
                sasURL: first,
                diskName: "os",
                logger: WorkerCloud.quiet
            )
            let source = try await SnapshotDiskSource.open(
                client: cloud.client,
                sasURL: second,
                diskName: "os",
                options: SnapshotReadOptions(pageListSize: 7),
                logger: WorkerCloud.quiet
            )
            let changed = try await source.changedRanges(since: first)
            #expect(changed.map { [$0.offset, $0.length] } == plan.changedRanges)
            let changedBytes = changed.reduce(0) { $0 + $1.length }
            for range in changed {
                let new = try await source.read(at: range.offset, length: Int(range.length))
                let before = try await old.read(at: range.offset, length: Int(range.length))
                #expect(new != before)
            }
            #expect(source.bytesRead == changedBytes)
            // Pages the guest did not write still read as the image.
            let untouched = Self.extents.map { ByteRange(offset: $0.0, length: 4096) }.filter { range in
                !changed.contains { $0.offset < range.end && range.offset < $0.end }
            }
            try await Self.check(source, ranges: untouched, against: image)
        }
    }

    @Test func revokedOrExpiredSASIsAPermanentFailureNamingTheDisk() async throws {
        try await WorkerCloud.with { cloud in
            let disk = try await cloud.emptyDisk("data3")
            _ = try await cloud.guest().mutate(disk: disk, percent: 0.1, seed: 3)
            let sas = try await cloud.snapshotSAS("snapC", of: disk)
            let source = try await SnapshotDiskSource.open(
                client: cloud.client,
                sasURL: sas,
                diskName: "lun 2",
                logger: WorkerCloud.quiet
            )
            _ = try await source.read(at: 0, length: 4096)
            try await cloud.revoke("snapC")
            let failure = await #expect(throws: WorkerFailure.self) {
                _ = try await source.read(at: 0, length: 4096)
            }
            #expect(failure?.failureClass == .permanent)
            #expect(failure?.reason.contains("disk lun 2") == true)
            #expect(failure?.reason.contains("beginGetAccess") == true)
            let reopen = await #expect(throws: WorkerFailure.self) {
                _ = try await SnapshotDiskSource.open(
                    client: cloud.client,
                    sasURL: sas,
                    diskName: "lun 2",
                    logger: WorkerCloud.quiet
                )
            }
            #expect(reopen?.failureClass == .permanent)
            #expect(!(reopen?.reason.contains("sig=") ?? true))
        }
    }

    @Test func throttlingAndDroppedConnectionsAreSurvived() async throws {
        try await WorkerCloud.with { cloud in
            let disk = try await cloud.emptyDisk("data4")
            let image = try Self.image(in: cloud.folder)
            try await cloud.guest().importImage(disk: disk, file: image)
            let sas = try await cloud.snapshotSAS("snapD", of: disk)
            var throttle = FaultRule(kind: .throttle, service: "disk", operation: "GetBlob")
            throttle.status = 503
            throttle.retryAfter = 0
            throttle.remaining = 3
            var drop = FaultRule(kind: .drop, service: "disk", operation: "GetBlob")
            drop.remaining = 3
            var listing = FaultRule(kind: .throttle, service: "disk", operation: "GetPageRanges")
            listing.retryAfter = 0
            listing.remaining = 1
            try await cloud.faults.replace(FaultRules(rules: [listing, throttle, drop]))

            let source = try await SnapshotDiskSource.open(
                client: cloud.client,
                sasURL: sas,
                diskName: "os",
                options: SnapshotReadOptions(maxConcurrentReads: 4, retryBase: .milliseconds(10)),
                logger: WorkerCloud.quiet
            )
            let allocated = try await source.allocatedRanges()
            try await Self.check(source, ranges: allocated, against: image)
            #expect(cloud.faults.rules.rules.allSatisfy { ($0.remaining ?? 0) == 0 })
        }
    }
}
