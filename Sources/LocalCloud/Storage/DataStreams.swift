import Crypto
import Foundation
import Hummingbird

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streaming request bodies into files and files (or page-store segments) into response bodies, in chunks, so
/// that large blobs are never held whole in memory.
enum DataStreams {
    /// The chunk size of streamed responses: a 4 MiB ranged read (a backup's usual request) is one `pread` into
    /// one buffer and one write to the connection.
    static let chunkSize = 4 << 20

    /// Writes `body` to a new file at `url` (replacing it), at most `limit` bytes; returns the length and MD5.
    static func receive(_ body: RequestBody, to url: URL, limit: Int64) async throws -> (length: Int64, md5: Data) {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw LocalCloudError(.io, "Could not create \(url.path) (errno \(errno)).")
        }
        defer { close(descriptor) }
        var hasher = Insecure.MD5()
        var length: Int64 = 0
        for try await chunk in body {
            length += Int64(chunk.readableBytes)
            guard length <= limit else {
                throw StorageError.bodyTooLarge(limit: Int(min(limit, Int64(Int.max))))
            }
            try chunk.withUnsafeReadableBytes { bytes in
                hasher.update(bufferPointer: bytes)
                var done = 0
                while done < bytes.count {
                    let written = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                    guard written > 0 else {
                        throw LocalCloudError(.io, "Could not write \(url.path) (errno \(errno)).")
                    }
                    done += written
                }
            }
        }
        return (length, Data(hasher.finalize()))
    }

    /// A response body streaming `range` of the file at `path`.
    static func file(_ path: String, range: Range<Int64>) -> ResponseBody {
        ResponseBody(contentLength: range.count) { writer in
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw LocalCloudError(.io, "Could not open \(path) (errno \(errno)).") }
            defer { close(descriptor) }
            try await stream(descriptor: descriptor, range: range, to: &writer)
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
                        var buffer = ByteBufferAllocator().buffer(capacity: count)
                        try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { bytes in
                            guard let base = bytes.baseAddress else { return 0 }
                            try store.readSegment(path: path, offset: offset, count: count, into: base)
                            return count
                        }
                        try await writer.write(buffer)
                        offset += Int64(count)
                    }
                }
            }
            try await writer.finish(nil)
        }
    }

    /// Reads `range` of an open file into memory (small ranges: MD5 of a range).
    static func readAll(_ path: String, range: Range<Int64>) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw LocalCloudError(.io, "Could not open \(path) (errno \(errno)).") }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: range.count)
        try bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            try FileTable.readFully(descriptor, into: base, count: buffer.count, at: range.lowerBound)
        }
        return bytes
    }

    private static func stream(descriptor: Int32, range: Range<Int64>, to writer: inout any ResponseBodyWriter)
        async throws
    {
        var offset = range.lowerBound
        while offset < range.upperBound {
            let count = Int(min(Int64(chunkSize), range.upperBound - offset))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { bytes in
                guard let base = bytes.baseAddress else { return 0 }
                try FileTable.readFully(descriptor, into: base, count: count, at: offset)
                return count
            }
            try await writer.write(buffer)
            offset += Int64(count)
        }
    }

    private static let zeros = ByteBuffer(repeating: 0, count: chunkSize)
}
