import AzureKit
import BackupRepository
import Crypto
import Foundation
import Logging
import NIOCore

/// A file the worker needs on its VM: the `nimbus-worker` executable or the install script.
public struct WorkerFile: Sendable, Hashable {
    /// Where a file's bytes come from.
    public enum Source: Sendable, Hashable {
        /// A file on the appliance (read on the file I/O pool).
        case file(String)
        /// Bytes held in memory (a script).
        case bytes(Data)
    }

    /// The blob name in the binaries container.
    public var blobName: String
    /// The file's bytes.
    public var source: Source

    /// A file.
    public init(blobName: String, source: Source) {
        self.blobName = blobName
        self.source = source
    }

    /// The install script (``InstallScript/text``).
    public static var installScript: WorkerFile {
        WorkerFile(blobName: InstallScript.blobName, source: .bytes(Data((InstallScript.text + "\n").utf8)))
    }

    /// The `nimbus-worker` executable at `path`.
    public static func executable(_ path: String) -> WorkerFile {
        WorkerFile(blobName: "nimbus-worker", source: .file(path))
    }
}

/// A worker file in the region's storage account: its MD5 and a short-lived read SAS URL.
public struct UploadedWorkerFile: Sendable, CustomStringConvertible {
    /// The blob name.
    public var blobName: String
    /// The file's length in bytes.
    public var length: Int64
    /// The MD5 of the file, lowercase hexadecimal (what `md5sum` prints).
    public var md5Hex: String
    /// The MD5 of the file, base64 (the blob's `Content-MD5`).
    public var md5Base64: String
    /// The blob's URL with a read-only SAS (secret).
    public var readURL: String
    /// Whether this call uploaded it (`false`: the blob already had the same MD5).
    public var uploaded: Bool

    /// The name, size and MD5; never the URL's SAS.
    public var description: String {
        "\(blobName) (\(length) bytes, md5 \(md5Hex), \(uploaded ? "uploaded" : "already present"))"
    }
}

/// Uploads the worker's files to the region's storage account over a SAS URI, checking each by its MD5.
///
/// Each file is hashed off the cooperative pool, then compared with the blob's `Content-MD5`: a blob with the same
/// MD5 and length is not uploaded again. Otherwise the file is uploaded as a block blob (blocks read from the file,
/// each block's `Content-MD5` checked by the service), its whole MD5 stored as the blob's `Content-MD5`, and the
/// blob's properties are read back and compared: a mismatch is an error, never a silently wrong binary.
public struct WorkerBinaries: Sendable {
    /// The HTTP client.
    public var client: AzureClient
    /// The region's storage account.
    public var storage: StorageAccess
    /// The container of worker files.
    public var container: String
    /// How long the upload SAS is valid.
    public var uploadValidity: Duration = .seconds(3600)
    /// How long the read SAS URLs handed to the VM are valid.
    public var readValidity: Duration = .seconds(7200)
    /// The size of the blocks uploaded.
    public var blockSize: Int = 8 << 20
    /// The thread pool the files are read on.
    public var io: FileIOPool = .shared

    /// Worker files for `storage`'s `container`.
    public init(client: AzureClient, storage: StorageAccess, container: String) {
        self.client = client
        self.storage = storage
        self.container = container
    }

    /// Makes sure every file is in the container with its MD5, and returns their read SAS URLs.
    /// - Throws: ``ApplianceError/invalidInput(_:)`` when a file cannot be read, ``ApplianceError/corrupt(_:)``
    ///   when a blob's `Content-MD5` after upload is not the file's, or the storage error.
    public func upload(_ files: [WorkerFile], now: Date = Date(), logger: Logger) async throws -> [UploadedWorkerFile] {
        _ = try await storage.blobs(client).createContainer(container, logger: logger)
        let uploadSAS = BlobSASBuilder(
            container: container,
            permissions: [.read, .create, .write],
            expiresOn: now.addingTimeInterval(Self.seconds(uploadValidity))
        ).sign(with: storage.credential)
        let blobs = BlobClient(client: client, endpoint: storage.blobEndpoint, authorization: .sas(uploadSAS.encoded))
        var uploaded: [UploadedWorkerFile] = []
        for file in files {
            uploaded.append(try await upload(file, blobs: blobs, now: now, logger: logger))
        }
        return uploaded
    }

    func upload(_ file: WorkerFile, blobs: BlobClient, now: Date, logger: Logger) async throws -> UploadedWorkerFile {
        let (length, md5): (Int64, [UInt8])
        switch file.source {
        case .file(let path): (length, md5) = try await Self.md5(of: path, io: io)
        case .bytes(let data): (length, md5) = (Int64(data.count), Array(Insecure.MD5.hash(data: data)))
        }
        let md5Base64 = Data(md5).base64EncodedString()
        let md5Hex = md5.map { String(format: "%02x", $0) }.joined()
        var metadata: Logger.Metadata = ["blob.name": "\(file.blobName)", "blob.md5": "\(md5Hex)"]
        let existing = try await properties(file.blobName, blobs: blobs, logger: logger)
        let isPresent = existing?.contentMD5 == md5Base64 && existing?.contentLength == length
        if !isPresent {
            let source = file.source
            let io = self.io
            try await blobs.upload(
                container: container,
                blob: file.blobName,
                length: length,
                options: BlobUploadOptions(contentMD5: md5Base64),
                blockSize: blockSize,
                logger: logger
            ) { offset, count in
                switch source {
                case .file(let path): try await Self.read(path, offset: offset, count: count, io: io)
                case .bytes(let data):
                    ByteBuffer(bytes: data[data.startIndex + Int(offset)..<data.startIndex + Int(offset) + count])
                }
            }
            let stored = try await properties(file.blobName, blobs: blobs, logger: logger)
            guard let stored, stored.contentMD5 == md5Base64, stored.contentLength == length else {
                throw ApplianceError.corrupt(
                    "the uploaded worker file \(file.blobName) has Content-MD5 \(stored?.contentMD5 ?? "none") and "
                        + "\(stored?.contentLength ?? 0) bytes, not \(md5Base64) and \(length) bytes; "
                        + "launch the worker again to upload it again"
                )
            }
        }
        metadata["blob.uploaded"] = "\(!isPresent)"
        logger.debug("Worker file in place", metadata: metadata)
        let readSAS = BlobSASBuilder(
            container: container,
            blob: file.blobName,
            permissions: .read,
            expiresOn: now.addingTimeInterval(Self.seconds(readValidity))
        ).sign(with: storage.credential)
        return UploadedWorkerFile(
            blobName: file.blobName,
            length: length,
            md5Hex: md5Hex,
            md5Base64: md5Base64,
            readURL: StorageAccess.url(storage.blobEndpoint, "\(container)/\(file.blobName)", sas: readSAS),
            uploaded: !isPresent
        )
    }

    func properties(_ blob: String, blobs: BlobClient, logger: Logger) async throws -> BlobProperties? {
        do {
            return try await blobs.properties(container: container, blob: blob, logger: logger)
        } catch let error as AzureError where error.isNotFound {
            return nil
        }
    }

    /// The length and MD5 of a file, read on `io`'s threads.
    static func md5(of path: String, io: FileIOPool) async throws -> (Int64, [UInt8]) {
        try await io.run {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw ApplianceError.invalidInput(
                    "the worker file \(path) cannot be read; build the worker (swift build) or fix the path"
                )
            }
            defer { try? handle.close() }
            var hash = Insecure.MD5()
            var length: Int64 = 0
            while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
                hash.update(data: chunk)
                length += Int64(chunk.count)
            }
            return (length, Array(hash.finalize()))
        }
    }

    /// `count` bytes of a file at `offset`, read on `io`'s threads.
    static func read(_ path: String, offset: Int64, count: Int, io: FileIOPool) async throws -> ByteBuffer {
        let data = try await io.run {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw ApplianceError.invalidInput("the worker file \(path) cannot be read")
            }
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: count) ?? Data()
            guard data.count == count else {
                throw ApplianceError.corrupt("the worker file \(path) changed while it was uploaded; try again")
            }
            return data
        }
        return ByteBuffer(bytes: data)
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
