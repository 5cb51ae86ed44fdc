import Foundation

@testable import BackupRepository

/// A real ``FileDiskSource`` whose reads first run a test's hook: the hook may pause a read until a
/// condition holds (the lock was lost, the task was cancelled), or act when the backup reaches a block.
struct GatedDiskSource: DiskSource {
    let base: FileDiskSource
    /// Called with the byte offset before every read.
    let beforeRead: @Sendable (Int64) async throws -> Void

    var size: Int64 { base.size }

    func read(at offset: Int64, length: Int) async throws -> Data {
        try await beforeRead(offset)
        return try await base.read(at: offset, length: length)
    }

    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) async throws {
        try await beforeRead(offset)
        try await base.read(at: offset, into: buffer)
    }
}
