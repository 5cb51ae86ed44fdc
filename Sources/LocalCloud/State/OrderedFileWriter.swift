import Foundation
import Synchronization

/// Persists state files outside the lock that orders their changes, without letting an older change of a file
/// overwrite a newer one.
///
/// A caller takes a version number from a counter under its own lock when it changes a file's in-memory state,
/// releases that lock, and then calls ``write(_:to:version:)``, which does the durable write (fsync included).
/// Writes of one file are serialised, and a write whose version is older than the file's last written one is
/// skipped: the newer content is already on disk. Different files are written in parallel (files share one of
/// a fixed number of stripes, chosen by path).
final class OrderedFileWriter: Sendable {
    private final class Stripe: Sendable {
        /// The last version written, by path.
        let written = Mutex<[String: UInt64]>([:])
    }

    private let stripes: [Stripe] = (0..<32).map { _ in Stripe() }

    /// Writes `data` atomically to `url` (or removes the file when `data` is `nil`) unless a newer version of the
    /// file was written already. Blocks: call it on ``FileIO``.
    func write(_ data: Data?, to url: URL, version: UInt64) throws {
        let path = url.path
        var hasher = Hasher()
        hasher.combine(path)
        let stripe = stripes[Int(UInt(bitPattern: hasher.finalize()) % UInt(stripes.count))]
        try stripe.written.withLock { written in
            guard written[path, default: 0] < version else { return }
            if let data {
                try AtomicFile.write(data, to: url)
            } else if FileManager.default.fileExists(atPath: path) {
                do {
                    try FileManager.default.removeItem(at: url)
                } catch {
                    throw LocalCloudError(
                        .io,
                        "Could not remove \(path); check the data folder is writable.",
                        cause: error
                    )
                }
            }
            written[path] = version
        }
    }
}
