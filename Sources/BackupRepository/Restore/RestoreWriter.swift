import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing a restored disk image to a file.
extension Repository {
    /// Writes the whole disk of `point` to `path`: holes for zero blocks (a sparse file), then the disk's size.
    func restoreImage(
        _ point: RestorePoint,
        toFile path: String,
        concurrency: Int,
        progress: (@Sendable (RestoreStatistics) -> Void)?
    ) async throws -> RestoreStatistics {
        let descriptor = Glibc.open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RepositoryError(
                .invalidArgument,
                "cannot create \(path) for the restored image; check the folder and permissions",
                underlying: SystemCallError(operation: "open", code: errno)
            )
        }
        defer { close(descriptor) }
        let blockSize = Int64(point.blockSize)
        var statistics = try await forEachBlock(
            of: point,
            blocks:
                0..<TreeGeometry(diskSize: point.diskSize, blockSize: point.blockSize, fanout: point.treeFanout)
                .blockCount,
            concurrency: concurrency,
            progress: progress
        ) { index, data in
            try Self.writeAll(data, to: descriptor, at: index * blockSize, path: path)
        }
        guard ftruncate(descriptor, off_t(point.diskSize)) == 0, fsync(descriptor) == 0 else {
            throw RepositoryError(
                .invalidArgument,
                "cannot finish \(path) (set its size and flush it); check free space",
                underlying: SystemCallError(operation: "ftruncate/fsync", code: errno)
            )
        }
        statistics.bytesRestored = point.diskSize
        progress?(statistics)
        return statistics
    }

    static func writeAll(_ data: Data, to descriptor: Int32, at offset: Int64, path: String) throws {
        try data.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let result = pwrite(descriptor, raw.baseAddress! + done, raw.count - done, off_t(offset) + off_t(done))
                if result < 0 {
                    if errno == EINTR { continue }
                    throw RepositoryError(
                        .invalidArgument,
                        "writing the restored image \(path) failed; check free space",
                        underlying: SystemCallError(operation: "pwrite", code: errno)
                    )
                }
                done += result
            }
        }
    }
}
