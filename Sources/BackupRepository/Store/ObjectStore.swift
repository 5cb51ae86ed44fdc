import Foundation

/// Where a repository keeps its objects: a flat namespace of keys such as `packs/ab/ab12…`.
///
/// Implementations exist for a local folder (``LocalFolderStore``) and for an Azure Blob
/// container (module `AzureBlobStore`). Every method is safe to call concurrently.
/// Keys use `/` as separator, never begin with `/`, and contain only `[A-Za-z0-9._/-]`. No key is also the
/// folder of another (`a` and `a/b`): a folder-backed store could not hold both.
public protocol ObjectStore: Sendable {
    /// A short human-readable description of where objects live (a path or a container URL
    /// with secrets removed), used in error messages.
    var location: String { get }

    /// Stores `contents` under `key`.
    ///
    /// The write is atomic: a reader sees either the previous object or the whole new one,
    /// never a part. With ``PutMode/createOnly`` the call fails with
    /// ``ObjectStoreError/Code/alreadyExists`` when the key exists (used to take locks); with
    /// ``PutMode/replaceExisting`` it fails with ``ObjectStoreError/Code/notFound`` when the key does not
    /// exist at the moment of the write (used to refresh them).
    func put(_ key: String, contents: Data, mode: PutMode) async throws

    /// Reads an object, or the byte range `range` of it (clamped to the object's end).
    ///
    /// `maxBytes` caps what the call may return: when the object (or the clamped range) is larger, the
    /// store throws before it allocates or downloads the bytes. Metadata reads pass the limit of their object
    /// kind, so a damaged or hostile store cannot make a reader allocate gigabytes.
    /// - Throws: ``ObjectStoreError`` with code ``ObjectStoreError/Code/notFound`` when absent, and
    ///   ``ObjectStoreError/Code/tooLarge`` when the bytes to return exceed `maxBytes`.
    func get(_ key: String, range: Range<Int64>?, maxBytes: Int) async throws -> Data

    /// The size and modification time of an object, or `nil` when it does not exist.
    func head(_ key: String) async throws -> ObjectInfo?

    /// One page of the objects whose keys begin with `prefix`, in ascending key order.
    /// Pass the previous page's ``ObjectListPage/continuation`` to get the next page.
    func list(prefix: String, continuation: String?) async throws -> ObjectListPage

    /// Deletes an object. Deleting a missing object is not an error.
    func delete(_ key: String) async throws
}

/// How ``ObjectStore/put(_:contents:mode:)`` treats an existing object.
public enum PutMode: Sendable, Hashable {
    /// Replace any existing object.
    case overwrite
    /// Fail with ``ObjectStoreError/Code/alreadyExists`` if the object exists.
    case createOnly
    /// Replace the object only if it exists, checked and applied in one atomic step; fail with
    /// ``ObjectStoreError/Code/notFound`` if it does not, leaving nothing behind. A lock refresh uses it, so
    /// that a lock removed by someone else is never written back.
    case replaceExisting
}

/// What a store knows about one object.
public struct ObjectInfo: Sendable, Hashable {
    /// The object's key.
    public var key: String
    /// The object's size in bytes.
    public var size: Int64
    /// When the object was last written.
    public var modified: Date

    /// Creates a description of one object.
    public init(key: String, size: Int64, modified: Date) {
        self.key = key
        self.size = size
        self.modified = modified
    }
}

/// One page of a listing.
public struct ObjectListPage: Sendable {
    /// The objects of this page, in ascending key order.
    public var objects: [ObjectInfo]
    /// A token for the next page, or `nil` when this is the last one.
    public var continuation: String?

    /// Creates a page.
    public init(objects: [ObjectInfo], continuation: String?) {
        self.objects = objects
        self.continuation = continuation
    }
}

/// The cap of ``ObjectStore/get(_:range:maxBytes:)`` when a caller names none.
public enum ObjectStoreReadLimit {
    /// The default cap, for data reads: 2,057 MiB, the largest pack a valid repository may hold (twice the
    /// largest pack target size of 1 GiB, for the trailer of tiny blocks, plus two 4 MiB blocks and 1 MiB).
    /// The engine passes the limit of each object kind instead (see docs/FORMAT.md, "Size limits").
    public static let defaultMaxBytes = (2 << 30) + (9 << 20)
}

extension ObjectStore {
    /// Reads a whole object of at most `maxBytes` bytes (see ``get(_:range:maxBytes:)``).
    public func get(_ key: String, maxBytes: Int) async throws -> Data {
        try await get(key, range: nil, maxBytes: maxBytes)
    }

    /// Reads a whole object of at most ``ObjectStoreReadLimit/defaultMaxBytes``.
    public func get(_ key: String) async throws -> Data {
        try await get(key, range: nil, maxBytes: ObjectStoreReadLimit.defaultMaxBytes)
    }

    /// Reads a byte range of an object (clamped to its end), of at most ``ObjectStoreReadLimit/defaultMaxBytes``.
    public func get(_ key: String, range: Range<Int64>?) async throws -> Data {
        try await get(key, range: range, maxBytes: ObjectStoreReadLimit.defaultMaxBytes)
    }

    /// Stores an object, replacing any existing one.
    public func put(_ key: String, contents: Data) async throws {
        try await put(key, contents: contents, mode: .overwrite)
    }

    /// Every object whose key begins with `prefix`, fetched page by page as the sequence is iterated.
    public func objects(prefix: String) -> ObjectListing {
        ObjectListing(store: self, prefix: prefix)
    }
}

/// An asynchronous sequence over all objects under a prefix; pages are fetched lazily.
public struct ObjectListing: AsyncSequence, Sendable {
    public typealias Element = ObjectInfo

    let store: any ObjectStore
    let prefix: String

    /// Iterates the listing, fetching the next page when the current one is used up.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let store: any ObjectStore
        let prefix: String
        var buffer: [ObjectInfo] = []
        var index = 0
        var continuation: String?
        var finished = false

        public mutating func next() async throws -> ObjectInfo? {
            while index >= buffer.count {
                if finished { return nil }
                let previous = continuation
                let page = try await store.list(prefix: prefix, continuation: continuation)
                buffer = page.objects
                index = 0
                continuation = page.continuation
                // Stop on a missing or repeated token so a misbehaving store cannot loop forever.
                if page.continuation == nil || page.continuation == previous { finished = true }
            }
            defer { index += 1 }
            return buffer[index]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(store: store, prefix: prefix)
    }
}
