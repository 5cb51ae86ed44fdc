import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

/// The Blob service of one storage account: containers, block blobs, page blobs, snapshots and tiers.
struct BlobService: Sendable {
    let cloud: CloudServices

    func handle(_ request: StorageRequest) async throws -> Response {
        let store = try cloud.storage.blobStore(request.account.name)
        let operation = request.operationName
        let authenticator = StorageAuthenticator(request: request, tokens: cloud.identity.tokens)
        guard let container = request.container else {
            switch operation {
            case "ListContainers":
                _ = try authenticator.authorize(permission: "l", level: "s")
                return BlobListing.containers(request, store: store)
            case "ServiceProperties":
                _ = try authenticator.authorize(permission: "rw", level: "s")
                return Self.serviceProperties(request)
            default:
                _ = try authenticator.authorize(permission: "rwdl", level: "s")
                throw StorageError.unsupported(request.method.rawValue + " on the service")
            }
        }
        guard request.blobName != nil else {
            return try await handleContainer(
                request,
                name: container,
                operation: operation,
                store: store,
                authenticator: authenticator
            )
        }
        let writer = BlobWriter(request: request, store: store, container: container)
        let reader = BlobReader(request: request, store: store, container: container)
        switch operation {
        case "GetBlob":
            _ = try authenticator.authorize(permission: "r", level: "o")
            return try await FileIO.run { try reader.get(headOnly: false) }
        case "GetBlobProperties":
            _ = try authenticator.authorize(permission: "r", level: "o")
            return try await FileIO.run { try reader.get(headOnly: true) }
        case "GetPageRanges":
            _ = try authenticator.authorize(permission: "r", level: "o")
            return try await FileIO.run { try reader.pageRanges() }
        case "GetBlockList":
            _ = try authenticator.authorize(permission: "r", level: "o")
            return try await FileIO.run { try reader.blockList() }
        case "GetBlobTags":
            _ = try authenticator.authorize(permission: "t", level: "o")
            return try await FileIO.run { try reader.tags() }
        case "PutBlob":
            _ = try authenticator.authorize(permission: "wc", level: "o")
            return try await writer.putBlob()
        case "PutBlock":
            _ = try authenticator.authorize(permission: "wc", level: "o")
            return try await writer.putBlock()
        case "PutBlockList":
            _ = try authenticator.authorize(permission: "wc", level: "o")
            return try await writer.putBlockList()
        case "PutPage":
            _ = try authenticator.authorize(permission: "w", level: "o")
            return try await writer.putPage()
        case "SnapshotBlob":
            _ = try authenticator.authorize(permission: "wc", level: "o")
            return try await FileIO.run { try writer.snapshot() }
        case "SetBlobTier":
            _ = try authenticator.authorize(permission: "wt", level: "o")
            return try await FileIO.run { try writer.setTier() }
        case "SetBlobMetadata":
            _ = try authenticator.authorize(permission: "w", level: "o")
            return try await FileIO.run { try writer.setMetadata() }
        case "SetBlobProperties":
            _ = try authenticator.authorize(permission: "w", level: "o")
            return try await FileIO.run { try writer.setProperties() }
        case "SetBlobTags":
            _ = try authenticator.authorize(permission: "t", level: "o")
            return try await writer.setTags()
        case "DeleteBlob":
            _ = try authenticator.authorize(permission: "d", level: "o")
            return try await FileIO.run { try writer.delete() }
        default:
            _ = try authenticator.authorize(permission: "rwdlc", level: "o")
            throw StorageError.unsupported("\(request.method.rawValue) \(operation)")
        }
    }

    private func handleContainer(
        _ request: StorageRequest,
        name: String,
        operation: String,
        store: BlobStore,
        authenticator: StorageAuthenticator
    ) async throws -> Response {
        switch operation {
        case "CreateContainer":
            _ = try authenticator.authorize(permission: "cw", level: "c")
            guard Self.isContainerName(name) else {
                throw StorageError(
                    .badRequest,
                    "InvalidResourceName",
                    "The specifed resource name contains invalid characters."
                )
            }
            let now = Date()
            let record = ContainerRecord(
                name: name,
                created: now,
                lastModified: now,
                etag: BlobRecord.newETag(),
                metadata: Self.metadata(request),
                publicAccess: request.header("x-ms-blob-public-access")
            )
            guard try await FileIO.run({ [record] in try store.createContainer(record) }) else {
                throw StorageError(.conflict, "ContainerAlreadyExists", "The specified container already exists.")
            }
            return Self.headers(.created, etag: record.etag, lastModified: record.lastModified)
        case "DeleteContainer":
            _ = try authenticator.authorize(permission: "d", level: "c")
            guard try await FileIO.run({ try store.deleteContainer(name) }) else { throw BlobStore.containerNotFound }
            return Response(status: .accepted, headers: [.contentLength: "0"])
        case "GetContainerProperties", "GetContainerACL":
            _ = try authenticator.authorize(permission: "r", level: "c")
            guard let record = store.container(name) else { throw BlobStore.containerNotFound }
            var response = Self.headers(.ok, etag: record.etag, lastModified: record.lastModified)
            for (key, value) in record.metadata { response.headers.set("x-ms-meta-\(key)", value) }
            response.headers.set("x-ms-lease-status", "unlocked")
            response.headers.set("x-ms-lease-state", "available")
            response.headers.set("x-ms-has-immutability-policy", "false")
            response.headers.set("x-ms-has-legal-hold", "false")
            if operation == "GetContainerACL" {
                var xml = XMLWriter()
                xml.open("SignedIdentifiers")
                xml.close("SignedIdentifiers")
                let body = xml.document()
                response.headers[.contentType] = "application/xml"
                response.headers[.contentLength] = String(body.readableBytes)
                response.body = .init(byteBuffer: body)
            }
            return response
        case "SetContainerMetadata":
            _ = try authenticator.authorize(permission: "w", level: "c")
            let metadata = Self.metadata(request)
            let updated = try await FileIO.run {
                try store.updateContainer(name) { record in
                    record.metadata = metadata
                    record.lastModified = Date()
                    record.etag = BlobRecord.newETag()
                }
            }
            guard let record = updated else { throw BlobStore.containerNotFound }
            return Self.headers(.ok, etag: record.etag, lastModified: record.lastModified)
        case "SetContainerACL":
            _ = try authenticator.authorize(permission: "w", level: "c")
            guard let record = store.container(name) else { throw BlobStore.containerNotFound }
            return Self.headers(.ok, etag: record.etag, lastModified: record.lastModified)
        case "ListBlobs":
            _ = try authenticator.authorize(permission: "l", level: "c")
            guard store.container(name) != nil else { throw BlobStore.containerNotFound }
            return try BlobListing.blobs(request, container: name, store: store)
        default:
            _ = try authenticator.authorize(permission: "rwdlc", level: "c")
            throw StorageError.unsupported("\(request.method.rawValue) on a container")
        }
    }

    /// `x-ms-meta-*` request headers as metadata (names lowercased).
    static func metadata(_ request: StorageRequest) -> [String: String] {
        var metadata: [String: String] = [:]
        for field in request.request.headers {
            let name = field.name.canonicalName.lowercased()
            if name.hasPrefix("x-ms-meta-") { metadata[String(name.dropFirst("x-ms-meta-".count))] = field.value }
        }
        return metadata
    }

    /// An empty response with `ETag` and `Last-Modified`.
    static func headers(_ status: HTTPResponse.Status, etag: String, lastModified: Date) -> Response {
        var fields = HTTPFields()
        fields[.eTag] = "\"\(etag)\""
        fields[.lastModified] = HTTPDate.rfc1123(lastModified)
        fields[.contentLength] = "0"
        return Response(status: status, headers: fields)
    }

    /// Container names: 3–63 characters, lowercase letters, digits and single hyphens, starting with a letter or digit.
    static func isContainerName(_ name: String) -> Bool {
        if name == "$root" || name == "$logs" || name == "$web" { return true }
        guard (3...63).contains(name.count), !name.hasPrefix("-"), !name.hasSuffix("-"), !name.contains("--") else {
            return false
        }
        return name.allSatisfy {
            ($0.isLetter && $0.isLowercase && $0.isASCII) || ($0.isNumber && $0.isASCII) || $0 == "-"
        }
    }

    private static func serviceProperties(_ request: StorageRequest) -> Response {
        if request.method == .put { return Response(status: .accepted, headers: [.contentLength: "0"]) }
        var xml = XMLWriter()
        xml.open("StorageServiceProperties")
        xml.open("DeleteRetentionPolicy")
        xml.element("Enabled", "false")
        xml.close("DeleteRetentionPolicy")
        xml.close("StorageServiceProperties")
        let body = xml.document()
        return Response(
            status: .ok,
            headers: [.contentType: "application/xml", .contentLength: String(body.readableBytes)],
            body: .init(byteBuffer: body)
        )
    }
}
