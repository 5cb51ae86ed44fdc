import NIOPosix
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one thread pool on which LocalCloud's request paths make their blocking file system calls, so that a
/// slow disk (reads, writes, fsync) never occupies a thread of Swift's cooperative pool.
enum FileIO {
    /// The number of threads: enough for a few concurrent transfers and fsyncs, small enough to stay cheap.
    static let threadCount = 4

    /// The pool. It is started on first use and lives as long as the process.
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: threadCount)
        pool.start()
        return pool
    }()

    /// Runs `body`, which may block in system calls, on the pool and returns its result.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}

extension FileDescriptor {
    /// Flushes the file's data and metadata to disk (`fsync`), retrying when interrupted.
    func synchronize() throws(Errno) {
        while fsync(rawValue) != 0 {
            let code = Errno(rawValue: errno)
            guard code == .interrupted else { throw code }
        }
    }

    /// Reads exactly `buffer.count` bytes at `offset`; bytes past the end of the file read as zeros (sparse
    /// files).
    func readFully(fromAbsoluteOffset offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) {
        var done = 0
        while done < buffer.count {
            let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[done...])
            let count: Int
            do {
                count = try read(fromAbsoluteOffset: offset + Int64(done), into: piece)
            } catch let error as Errno {
                throw error
            } catch {
                throw Errno.ioError
            }
            if count == 0 {
                piece.initializeMemory(as: UInt8.self, repeating: 0)
                return
            }
            done += count
        }
    }
}
