import Foundation

/// A random-access disk image of known size: a file, a block device, or (later) an HTTP range reader.
public protocol DiskSource: Sendable {
    /// The size of the disk in bytes.
    var size: Int64 { get }

    /// Reads exactly `length` bytes at `offset` (the caller never reads past ``size``).
    func read(at offset: Int64, length: Int) async throws -> Data
}
