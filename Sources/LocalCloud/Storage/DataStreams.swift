import Crypto
import Foundation
import Hummingbird
import SystemPackage

/// Streaming request bodies into files and files (or page-store segments) into response bodies, in chunks, so
/// that large blobs are never held whole in memory. Every file system call runs on ``FileIO``'s thread pool.
enum DataStreams {
    /// The chunk size of streamed responses: a 4 MiB ranged read (a backup's usual request) is one `pread` into
    /// one buffer and one write to the connection.
    static let chunkSize = 4 << 20

    /// Writes `body` to a new file at `url` (replacing it), at most `limit` bytes; returns the length and MD5.
    static func receive(_ body: RequestBody, to url: URL, limit: Int64) async throws -> (length: Int64, md5: Data) {
        let file = try await FileIO.run {
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                return try FileDescriptor.open(
                    FilePath(url.path),
                    .writeOnly,
                    options: [.create, .truncate],
                    permissions: [.ownerReadWrite, .groupRead, .otherRead]
                )
            } catch {
                throw LocalCloudError(.io, "Could not create \(url.path).", cause: error)
            }
        }
        do {
            var hasher = Insecure.MD5()
            var length: Int64 = 0
            for try await chunk in body {
                guard Int64(chunk.readableBytes) <= limit - length else {
                    throw StorageError.bodyTooLarge(limit: Int(min(limit, Int64(Int.max))))
                }
                chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                let offset = length
                try await FileIO.run {
                    do {
                        try chunk.withUnsafeReadableBytes { _ = try file.writeAll(toAbsoluteOffset: offset, $0) }
                    } catch {
                        throw LocalCloudError(.io, "Could not write \(url.path).", cause: error)
                    }
                }
                length += Int64(chunk.readableBytes)
            }
            try await FileIO.run { try file.close() }
            return (length, Data(hasher.finalize()))
        } catch {
            _ = try? await FileIO.run { try file.close() }
            throw error
        }
    }

    /// A response body streaming `range` of the file at `path`.
    static func file(_ path: String, range: Range<Int64>) -> ResponseBody {
        ResponseBody(contentLength: range.count) { writer in
            let file = try await FileIO.run {
                do {
                    return try FileDescriptor.open(FilePath(path), .readOnly)
                } catch {
                    throw LocalCloudError(.io, "Could not open \(path).", cause: error)
                }
            }
            do {
                var offset = range.lowerBound
                while offset < range.upperBound {
                    let count = Int(min(Int64(chunkSize), range.upperBound - offset))
                    let start = offset
                    let buffer = try await FileIO.run {
                        try readBuffer(count: count) { try file.readFully(fromAbsoluteOffset: start, into: $0) }
                    }
                    try await writer.write(buffer)
                    offset += Int64(count)
                }
                try await FileIO.run { try file.close() }
            } catch {
                _ = try? await FileIO.run { try file.close() }
                throw error
            }
            try await writer.finish(nil)
        }
    }

    /// A response body streaming `range` of a page-store version from its segments.
    static func pages(_ store: PageStore, segments: [PageStore.Segment], length: Int64) -> ResponseBody {
        ResponseBody(contentLength: Int(length)) { writer in
            for segment in segments {
                switch segment.source {
                case .zeros:
                    var remaining = segment.range.count
                    while remaining > 0 {
                        let count = min(remaining, chunkSize)
                        try await writer.write(zeros.getSlice(at: 0, length: count) ?? ByteBuffer())
                        remaining -= count
                    }
                case .layer(let path):
                    var offset = segment.range.lowerBound
                    while offset < segment.range.upperBound {
                        let count = Int(min(Int64(chunkSize), segment.range.upperBound - offset))
                        let start = offset
                        let buffer = try await FileIO.run {
                            try readBuffer(count: count) { bytes in
                                guard let base = bytes.baseAddress else { return }
                                try store.readSegment(path: path, offset: start, count: count, into: base)
                            }
                        }
                        try await writer.write(buffer)
                        offset += Int64(count)
                    }
                }
            }
            try await writer.finish(nil)
        }
    }

    /// Reads `range` of a file into memory (small ranges: MD5 of a range). Blocks: call it on ``FileIO``.
    static func readAll(_ path: String, range: Range<Int64>) throws -> [UInt8] {
        do {
            let file = try FileDescriptor.open(FilePath(path), .readOnly)
            return try file.closeAfter {
                var bytes = [UInt8](repeating: 0, count: range.count)
                try bytes.withUnsafeMutableBytes { try file.readFully(fromAbsoluteOffset: range.lowerBound, into: $0) }
                return bytes
            }
        } catch {
            throw LocalCloudError(.io, "Could not read \(path).", cause: error)
        }
    }

    /// A buffer of `count` bytes filled by `fill`.
    private static func readBuffer(count: Int, _ fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws
        -> ByteBuffer
    {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { bytes in
            let window = UnsafeMutableRawBufferPointer(rebasing: bytes[..<count])
            try fill(window)
            return count
        }
        return buffer
    }

    private static let zeros = ByteBuffer(repeating: 0, count: chunkSize)
}
