import Appliance
import Foundation

/// A fresh folder for one test's catalog files, removed by ``remove()``.
struct CatalogTestFolder: Sendable {
    /// The folder's path.
    let path: String

    /// Creates the folder under the system's temporary directory.
    init() throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("nimbus-catalog-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Opens (or creates) the catalog in the folder.
    func catalog() async throws -> Catalog { try await Catalog.open(directory: path) }

    /// The bytes of the catalog file and its write-ahead log, together.
    func catalogBytes() throws -> Data {
        var bytes = Data()
        for name in [Catalog.fileName, Catalog.fileName + "-wal"] {
            if let data = FileManager.default.contents(atPath: file(name)) { bytes.append(data) }
        }
        return bytes
    }

    /// Removes the folder and everything in it.
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Fixed instants with whole milliseconds (the catalog stores dates to the millisecond).
enum CatalogTestTime {
    /// 2027-01-15T08:00:00Z.
    static let base = Date(timeIntervalSince1970: 1_800_000_000)

    /// `base` plus `seconds`.
    static func at(_ seconds: Int) -> Date { base.addingTimeInterval(TimeInterval(seconds)) }
}

/// The byte order SQLite sorts UUID blobs in.
func uuidPrecedes(_ lhs: UUID, _ rhs: UUID) -> Bool {
    withUnsafeBytes(of: lhs.uuid) { left in
        withUnsafeBytes(of: rhs.uuid) { right in left.lexicographicallyPrecedes(right) }
    }
}
