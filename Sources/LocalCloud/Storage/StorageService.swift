import Foundation
import Synchronization

/// The storage accounts' data: where each account's blobs and queues live on disk, and account lookup by name.
///
/// Layout: `DIR/storage/ACCOUNT/blob/…` and `DIR/storage/ACCOUNT/queue/…`.
public final class StorageService: Sendable {
    /// The suffix of an account's queue endpoint's first path segment: `https://HOST:PORT/ACCOUNT-queue/`.
    public static let queueSuffix = "-queue"
    /// The `x-ms-version` answered when a request sends none.
    public static let defaultVersion = "2021-12-02"
    /// The root folder of all accounts' data.
    public let directory: URL

    private let blobStores = Mutex<[String: BlobStore]>([:])
    private let queueStores = Mutex<[String: QueueStore]>([:])
    private let accountIDs = Mutex<[String: String]>([:])

    /// The resource ID last found for an account name (verified by the caller).
    func cachedAccountID(_ name: String) -> String? { accountIDs.withLock { $0[name] } }

    func cacheAccountID(_ id: String, for name: String) { accountIDs.withLock { $0[name] = id } }

    init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The blob store of `account`, opened on first use.
    func blobStore(_ account: String) throws -> BlobStore {
        try blobStores.withLock { stores in
            if let store = stores[account] { return store }
            let store = try BlobStore(root: accountDirectory(account).appendingPathComponent("blob"))
            stores[account] = store
            return store
        }
    }

    /// The queue store of `account`, opened on first use.
    func queueStore(_ account: String) throws -> QueueStore {
        try queueStores.withLock { stores in
            if let store = stores[account] { return store }
            let store = try QueueStore(root: accountDirectory(account).appendingPathComponent("queue"))
            stores[account] = store
            return store
        }
    }

    /// The data folder of `account`.
    public func accountDirectory(_ account: String) -> URL {
        directory.appendingPathComponent(account.lowercased())
    }

    /// Whether `name` is a valid storage account name: 3–24 lowercase letters and digits.
    public static func isAccountName(_ name: String) -> Bool {
        (3...24).contains(name.utf8.count)
            && name.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
            }
    }

    /// Removes all data of `account`.
    func deleteData(account: String) throws {
        _ = blobStores.withLock { $0.removeValue(forKey: account.lowercased()) }
        _ = queueStores.withLock { $0.removeValue(forKey: account.lowercased()) }
        let folder = accountDirectory(account)
        if FileManager.default.fileExists(atPath: folder.path) {
            do { try FileManager.default.removeItem(at: folder) } catch {
                throw LocalCloudError(
                    .io,
                    "Could not remove the data of storage account \(account) at \(folder.path).",
                    cause: error
                )
            }
        }
    }
}
