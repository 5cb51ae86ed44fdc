import AzureKit
import BackupRepository
import Foundation
import Logging
import NIOCore
import Synchronization

/// A ``DiskSource`` over a managed-disk snapshot's read SAS URL.
///
/// The snapshot is exported as a page blob of the disk's size plus a 512-byte VHD footer, which is never read.
/// ``allocatedRanges()`` lists the written pages (Get Page Ranges, paged) so that a full backup reads only
/// them; ``changedRanges(since:)`` lists the page-range diff against an older snapshot of the same disk
/// (`x-ms-previous-snapshot-url`), which is changed-block tracking for an incremental backup. Reads are
/// ranged GETs, at most ``SnapshotReadOptions/maxConcurrentReads`` at once, each checked for its length and
/// its MD5, and retried with backoff (the pipeline honours `Retry-After`). Failures are ``WorkerFailure``s naming
/// the disk: an expired or revoked SAS is permanent.
public final class SnapshotDiskSource: DiskSource {
    /// The name of the disk in messages (`os`, `lun 1`, …).
    public let diskName: String
    public let size: Int64
    private let blobs: BlobClient
    private let container: String
    private let blob: String
    private let options: SnapshotReadOptions
    private let limiter: ReadLimiter
    private let logger: Logger
    private let counters = Mutex(Counters())

    private struct Counters {
        var bytesRead: Int64 = 0
        var requests = 0
    }

    /// The bytes of disk data received so far.
    public var bytesRead: Int64 { counters.withLock { $0.bytesRead } }
    /// The ranged GETs that returned data so far.
    public var readRequests: Int { counters.withLock { $0.requests } }

    /// Opens the snapshot behind `sasURL`: reads its properties and checks its size.
    /// - Parameters:
    ///   - diskSize: The disk's size in bytes; `nil` takes the blob's length less the VHD footer.
    /// - Throws: ``WorkerFailure``: permanent when the SAS is refused or the blob is shorter than `diskSize`.
    public static func open(
        client: AzureClient,
        sasURL: SASURL,
        diskName: String,
        diskSize: Int64? = nil,
        options: SnapshotReadOptions = SnapshotReadOptions(),
        logger: Logger
    ) async throws -> SnapshotDiskSource {
        guard let container = sasURL.container, let blob = sasURL.blob else {
            throw WorkerFailure.permanent(
                "the snapshot SAS URL of disk \(diskName) names no blob (\(sasURL)); send the URL beginGetAccess returned"
            )
        }
        let blobs: BlobClient
        do {
            blobs = try BlobClient(client: client, sasURL: sasURL)
        } catch {
            throw WorkerFailure.permanent("the snapshot SAS URL of disk \(diskName) is not usable: \(error)")
        }
        let length: Int64
        do {
            length = try await blobs.properties(container: container, blob: blob, logger: logger).contentLength
        } catch {
            throw SnapshotFailures.failure(error, disk: diskName, doing: "reading the snapshot's properties")
        }
        let size = diskSize ?? Self.diskSize(ofExportLength: length)
        guard size >= 0, size <= length else {
            throw WorkerFailure.permanent(
                "the snapshot of disk \(diskName) holds \(length) bytes, less than the disk's \(size); "
                    + "check that the SAS URL is the snapshot of that disk"
            )
        }
        return SnapshotDiskSource(
            diskName: diskName,
            size: size,
            blobs: blobs,
            container: container,
            blob: blob,
            options: options,
            logger: logger
        )
    }

    private init(
        diskName: String,
        size: Int64,
        blobs: BlobClient,
        container: String,
        blob: String,
        options: SnapshotReadOptions,
        logger: Logger
    ) {
        self.diskName = diskName
        self.size = size
        self.blobs = blobs
        self.container = container
        self.blob = blob
        self.options = options
        self.limiter = ReadLimiter(limit: options.maxConcurrentReads)
        self.logger = logger
    }

    /// A managed disk's export is the disk plus a 512-byte fixed-VHD footer; anything else is taken whole.
    static func diskSize(ofExportLength length: Int64) -> Int64 {
        let footer = BlobClient.pageSize
        return length > footer && (length - footer) % (1 << 20) == 0 ? length - footer : length
    }

    /// The ranges of the disk that hold data (everything else reads as zeros), sorted and merged.
    public func allocatedRanges() async throws -> [ByteRange] {
        try await listRanges(previous: nil)
    }

    /// The ranges written or cleared since `previous`, an older snapshot of the same disk, sorted and merged.
    /// Cleared ranges are included: they read as zeros now and must replace what the parent holds.
    /// - Throws: ``WorkerFailure``: permanent when `previous` is refused or belongs to another disk.
    public func changedRanges(since previous: SASURL) async throws -> [ByteRange] {
        try await listRanges(previous: .url(previous.url.absoluteString))
    }

    private func listRanges(previous: PreviousSnapshot?) async throws -> [ByteRange] {
        var ranges: [ByteRange] = []
        do {
            let listing = blobs.pageRanges(
                container: container,
                blob: blob,
                previous: previous,
                pageSize: options.pageListSize,
                logger: logger
            )
            for try await entry in listing {
                let start = entry.range.start
                let end = min(entry.range.end + 1, size)
                guard end > start else { continue }
                if let last = ranges.last, last.end >= start {
                    ranges[ranges.count - 1].length = max(last.end, end) - last.offset
                } else {
                    ranges.append(ByteRange(offset: start, length: end - start))
                }
            }
        } catch {
            let doing =
                previous == nil
                ? "listing the snapshot's pages" : "listing the pages changed since the previous snapshot"
            throw SnapshotFailures.failure(error, disk: diskName, doing: doing)
        }
        return ranges.sorted { $0.offset < $1.offset }
    }

    public func read(at offset: Int64, length: Int) async throws -> Data {
        let buffer = try await readBuffer(at: offset, length: length)
        return Data(buffer.readableBytesView)
    }

    public func read(at offset: Int64, into target: UnsafeMutableRawBufferPointer) async throws {
        let buffer = try await readBuffer(at: offset, length: target.count)
        buffer.withUnsafeReadableBytes { bytes in
            target.copyMemory(from: bytes)
        }
    }

    /// Reads one range in pieces of at most 4 MiB (so that each carries an MD5), holding one slot per piece.
    private func readBuffer(at offset: Int64, length: Int) async throws -> ByteBuffer {
        guard offset >= 0, length >= 0, Int64(length) <= size - offset else {
            throw WorkerFailure.permanent(
                "a read of \(length) bytes at offset \(offset) lies outside disk \(diskName) (\(size) bytes)"
            )
        }
        var result = ByteBuffer()
        result.reserveCapacity(length)
        var done: Int64 = 0
        while done < Int64(length) {
            let piece = min(Int64(length) - done, BlobClient.maxRangeMD5Bytes)
            var part = try await readPiece(at: offset + done, length: piece)
            result.writeBuffer(&part)
            done += piece
        }
        return result
    }

    private func readPiece(at offset: Int64, length: Int64) async throws -> ByteBuffer {
        let range = PageRange(start: offset, end: offset + length - 1)
        var attempt = 0
        while true {
            do {
                let buffer = try await limiter.withSlot {
                    try await self.blobs.downloadData(
                        container: self.container,
                        blob: self.blob,
                        range: range,
                        maxBytes: Int(length),
                        logger: self.logger
                    )
                }
                guard buffer.readableBytes == Int(length) else {
                    throw AzureError(
                        .truncatedBody,
                        message: "the range \(range) returned \(buffer.readableBytes) bytes instead of \(length)"
                    )
                }
                counters.withLock {
                    $0.bytesRead += length
                    $0.requests += 1
                }
                return buffer
            } catch let error as AzureError where SnapshotFailures.isWorthAnotherAttempt(error) {
                attempt += 1
                guard attempt < options.maxAttempts else {
                    throw SnapshotFailures.failure(error, disk: diskName, doing: "reading bytes \(range)")
                }
                let wait = max(options.retryBase * (1 << min(attempt - 1, 16)), error.retryAfter ?? .zero)
                logger.debug(
                    "Snapshot read retried",
                    metadata: [
                        "disk": .string(diskName), "range": .string(range.description),
                        "attempt": .stringConvertible(attempt), "error": .string(error.description),
                    ]
                )
                try await Task.sleep(for: wait)
            } catch {
                throw SnapshotFailures.failure(error, disk: diskName, doing: "reading bytes \(range)")
            }
        }
    }
}
