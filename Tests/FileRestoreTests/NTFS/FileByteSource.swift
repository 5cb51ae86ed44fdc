import Dispatch
import FileRestore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only ``ByteSource`` over a file, reading with `pread` on a dispatch queue (off the cooperative pool).
final class FileByteSource: ByteSource, @unchecked Sendable {
    // The descriptor is set once in init and only read afterwards; pread is safe to call concurrently.
    private let descriptor: Int32
    let size: UInt64

    init(path: String) throws {
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw FileRestoreError(.notFound, "cannot open \(path)")
        }
        var info = stat()
        fstat(descriptor, &info)
        size = UInt64(info.st_size)
    }

    deinit { close(descriptor) }

    func read(at offset: UInt64, count: Int) async throws -> [UInt8] {
        try ByteSourceBounds.check(offset: offset, count: count, size: size)
        let descriptor = descriptor
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var bytes = [UInt8](repeating: 0, count: count)
                var done = 0
                while done < count {
                    let got = bytes.withUnsafeMutableBytes { buffer in
                        pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                    }
                    guard got > 0 else {
                        continuation.resume(throwing: FileRestoreError(.outOfBounds, "short read at \(offset)"))
                        return
                    }
                    done += got
                }
                continuation.resume(returning: bytes)
            }
        }
    }
}
