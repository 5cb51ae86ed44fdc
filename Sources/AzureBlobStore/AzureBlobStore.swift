import AzureKit
import BackupRepository
import Foundation
import Logging
import NIOCore

/// An `ObjectStore` over one Azure Blob container, so a backup repository can live in Blob storage.
///
/// Objects are block blobs named `<prefix><key>`. Small objects go up in one Put Blob with
/// `Content-MD5`; larger ones in parallel blocks committed by one Put Block List. Create-only writes
/// use `If-None-Match: *`. Reads are ranged Get Blob calls, verified by MD5 where the service
/// provides one. Authorize with a container SAS (``init(client:containerSASURL:prefix:logger:)``)
/// or Shared Key (``init(client:endpoint:container:credential:prefix:logger:)``).
public struct AzureBlobStore: ObjectStore {
    /// The blob client.
    public let blobs: BlobClient
    /// The container.
    public let container: String
    /// A name prefix inside the container (empty or ending in `/`).
    public let prefix: String
    /// Block size for large uploads. Default 8 MiB.
    public var blockSize: Int = 8 * 1024 * 1024
    /// Blocks staged at once. Default 4.
    public var concurrency: Int = 4
    /// Objects per listing page. Default 1,000.
    public var pageSize: Int = 1000
    let logger: Logger

    /// A store over the container a container SAS URL names.
    /// - Throws: `AzureError` if the URL names no container.
    public init(client: AzureClient, containerSASURL: SASURL, prefix: String = "", logger: Logger) throws {
        guard let container = containerSASURL.container else {
            throw AzureError(.configuration, message: "The SAS URL \(containerSASURL) names no container.")
        }
        self.blobs = try BlobClient(client: client, sasURL: containerSASURL)
        self.container = container
        self.prefix = prefix
        self.logger = logger
    }

    /// A store over `container` of the Blob endpoint `endpoint`, signed with Shared Key.
    public init(
        client: AzureClient,
        endpoint: URL,
        container: String,
        credential: StorageSharedKeyCredential,
        prefix: String = "",
        logger: Logger
    ) {
        self.blobs = BlobClient(client: client, endpoint: endpoint, authorization: .sharedKey(credential))
        self.container = container
        self.prefix = prefix
        self.logger = logger
    }

    /// Where the objects live, for messages: the container URL without its SAS.
    public var location: String {
        blobs.service.endpoint.absoluteString + container + (prefix.isEmpty ? "" : "/" + prefix)
    }

    /// Creates the container if it does not exist yet.
    public func createContainerIfNeeded() async throws {
        do {
            try await blobs.createContainer(container, logger: logger)
        } catch {
            throw mapped(error, key: "")
        }
    }

    func blobName(_ key: String) -> String { prefix + key }

    /// Stores `contents` under `key` (see ``PutMode``).
    ///
    /// The bytes are copied once into a `ByteBuffer` (16 MiB for a default pack): AzureKit's bodies are
    /// `ByteBuffer`s, and NIO has no way to wrap a `Data`'s storage without copying it. The copy costs about as
    /// long as hashing the bytes for `Content-MD5` and is freed when the upload ends.
    ///
    /// A create-only write that AzureKit retried (its answer was lost) and that then finds the blob already
    /// there succeeds when the blob holds exactly what was sent (AzureKit compares the stored `Content-MD5`);
    /// otherwise it fails with ``ObjectStoreError/Code/alreadyExists``.
    ///
    /// A ``PutMode/replaceExisting`` write sends `If-Match: *`, which the service checks and applies in one
    /// step: when the blob is gone it answers 412 `ConditionNotMet` (here ``ObjectStoreError/Code/notFound``)
    /// and writes nothing. The condition is existence, not the ETag last read: the only such writes are lock
    /// refreshes, whose keys are random and never reused, and a refresh that AzureKit retried after a lost
    /// answer must not fail because its own first attempt changed the ETag.
    public func put(_ key: String, contents: Data, mode: PutMode) async throws {
        do {
            try await blobs.upload(
                container: container,
                blob: blobName(key),
                data: ByteBuffer(bytes: contents),
                options: BlobUploadOptions(
                    createOnly: mode == .createOnly,
                    ifMatch: mode == .replaceExisting ? "*" : nil
                ),
                blockSize: blockSize,
                concurrency: concurrency,
                logger: logger
            )
        } catch let error as AzureError where mode == .replaceExisting && (error.status == 412 || error.status == 404) {
            throw ObjectStoreError(
                .notFound,
                key: key,
                location: location,
                message: "the object does not exist, so it was not replaced",
                underlying: error
            )
        } catch {
            throw mapped(error, key: key)
        }
    }

    /// Reads the object `key`, or a byte range of it, of at most `maxBytes` bytes.
    ///
    /// The size the service announces is checked before the body is read, and the body is collected with the
    /// same cap, so an oversized blob is refused without being downloaded.
    public func get(_ key: String, range: Range<Int64>?, maxBytes: Int) async throws -> Data {
        var pageRange: PageRange?
        if let range {
            guard !range.isEmpty else { return Data() }
            pageRange = PageRange(start: range.lowerBound, end: range.upperBound - 1)
        }
        do {
            let download = try await blobs.download(
                container: container,
                blob: blobName(key),
                range: pageRange,
                logger: logger
            )
            let size = download.range.map { $0.length } ?? download.properties.contentLength
            guard size <= Int64(max(0, maxBytes)) else {
                throw ObjectStoreError.tooLarge(key, location: location, size: size, limit: maxBytes)
            }
            let buffer: ByteBuffer
            do {
                buffer = try await download.collect(upTo: maxBytes)
            } catch let error as AzureError where error.code == .invalidResponse {
                throw ObjectStoreError.tooLarge(key, location: location, size: size, limit: maxBytes)
            }
            return Data(buffer.readableBytesView)
        } catch let error as AzureError where error.status == 416 && range != nil {
            // The range starts at or after the end: clamped, that is nothing.
            if try await head(key) == nil { throw mapped(error, key: key) }
            return Data()
        } catch {
            throw mapped(error, key: key)
        }
    }

    /// The size and details of `key`, or `nil` when it does not exist.
    public func head(_ key: String) async throws -> ObjectInfo? {
        do {
            let properties = try await blobs.properties(container: container, blob: blobName(key), logger: logger)
            return ObjectInfo(
                key: key,
                size: properties.contentLength,
                modified: try modified(properties.lastModified, key: key)
            )
        } catch let error as AzureError where error.isNotFound {
            return nil
        } catch {
            throw mapped(error, key: key)
        }
    }

    /// One page of the keys under `keyPrefix`, continuing from `continuation`.
    public func list(prefix keyPrefix: String, continuation: String?) async throws -> ObjectListPage {
        do {
            let page = try await blobs.listBlobsPage(
                container: container,
                prefix: prefix + keyPrefix,
                marker: continuation,
                maxResults: pageSize,
                logger: logger
            )
            let objects = try page.blobs.map { blob in
                let key = String(blob.name.dropFirst(prefix.count))
                return ObjectInfo(
                    key: key,
                    size: blob.properties.contentLength,
                    modified: try modified(blob.properties.lastModified, key: key)
                )
            }
            return ObjectListPage(objects: objects, continuation: page.nextMarker)
        } catch {
            throw mapped(error, key: keyPrefix)
        }
    }

    /// Deletes `key`; a missing key is not an error.
    public func delete(_ key: String) async throws {
        do {
            try await blobs.deleteBlob(container: container, blob: blobName(key), logger: logger)
        } catch {
            throw mapped(error, key: key)
        }
    }

    /// The modification time of `key`, which the service must provide.
    ///
    /// Garbage collection deletes only objects older than its grace period, so an invented date would decide
    /// whether data lives: a missing one fails the call (fail closed) instead of reading as 1970.
    func modified(_ date: Date?, key: String) throws -> Date {
        guard let date else {
            throw ObjectStoreError(
                .io,
                key: key,
                location: location,
                message:
                    "Azure returned no Last-Modified time for the blob, so its age is unknown; nothing is deleted on a guess. Retry later, and check any proxy between Nimbus and Azure."
            )
        }
        return date
    }

    /// Translates AzureKit errors into `ObjectStoreError` codes.
    func mapped(_ error: any Error, key: String) -> any Error {
        if error is ObjectStoreError { return error }
        guard let azure = error as? AzureError else { return error }
        let code: ObjectStoreError.Code
        let message: String
        switch (azure.status, azure.azureCode) {
        case (404, _):
            code = .notFound
            message = "The blob or its container does not exist."
        case (409, "BlobArchived"):
            code = .archived
            message =
                "The blob is in the Archive access tier; rehydrate it (Set Blob Tier to Hot or Cool, which takes hours) before reading it."
        case (409, "BlobAlreadyExists"), (412, _):
            code = .alreadyExists
            message = "The object already exists."
        case (403, _), (401, _):
            code = .permissionDenied
            message =
                "Azure refused access (\(azure.azureCode ?? "HTTP \(azure.status ?? 0)")); check the SAS permissions and expiry or the account key, and the network rules."
        default:
            code = .io
            message = "The Blob request failed; retry later."
        }
        return ObjectStoreError(code, key: key, location: location, message: message, underlying: azure)
    }
}
