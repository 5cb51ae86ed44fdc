import Foundation

/// A random-access disk image of known size: a file, a block device, or (later) an HTTP range reader.
public protocol DiskSource: Sendable {
    /// The size of the disk in bytes.
    var size: Int64 { get }

    /// Reads exactly `length` bytes at `offset` (the caller never reads past ``size``).
    func read(at offset: Int64, length: Int) async throws -> Data

    /// Reads exactly `buffer.count` bytes at `offset` into `buffer`. The default calls
    /// ``read(at:length:)`` and copies; sources that can read in place (files) override it to save a copy.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) async throws
}

extension DiskSource {
    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) async throws {
        let data = try await read(at: offset, length: buffer.count)
        guard data.count == buffer.count else {
            throw RepositoryError(
                .sourceFailure,
                "the disk source returned \(data.count) bytes at offset \(offset) where \(buffer.count) were asked"
            )
        }
        data.copyBytes(to: buffer)
    }
}
