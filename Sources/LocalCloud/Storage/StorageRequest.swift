import Foundation
import HTTPTypes
import Hummingbird

/// One Blob or Queue request, resolved to its account: the path below the account, query and headers.
struct StorageRequest: Sendable {
    /// How long a rehydration from the Archive tier takes (Azure: hours; here: seconds, so tests can observe it).
    static let rehydrationSeconds: TimeInterval = 2

    let request: Request
    let parts: RequestParts
    let account: StorageAccount
    /// `blob` or `queue`.
    let service: String
    /// Whether it arrived over HTTPS.
    let isTLS: Bool
    /// How much longer its page data takes to reach the disk (a `slowWrite` fault rule), or zero.
    var pageWriteLatency: Duration = .zero

    /// The path segments below the account: `[container, blob…]` or `[queue, "messages", id]`.
    var resourceSegments: [String] { Array(parts.segments.dropFirst()) }

    /// The container or queue name, if any.
    var container: String? { resourceSegments.first }

    /// The blob name (segments after the container joined by `/`), if any.
    var blobName: String? {
        let rest = resourceSegments.dropFirst()
        return rest.isEmpty ? nil : rest.joined(separator: "/")
    }

    var method: HTTPRequest.Method { request.method }

    func query(_ name: String) -> String? { parts.value(name) }

    func header(_ name: String) -> String? { request.header(name) }

    /// Azure's name for the operation, used by fault rules and SAS permission checks.
    var operationName: String {
        let comp = query("comp")?.lowercased()
        let restype = query("restype")?.lowercased()
        if service == "queue" {
            let segments = resourceSegments
            switch (method, segments.count, comp) {
            case (.get, 0, "list"): return "ListQueues"
            case (.put, 1, "metadata"): return "SetQueueMetadata"
            case (.get, 1, "metadata"), (.head, 1, "metadata"): return "GetQueueMetadata"
            case (.put, 1, _): return "CreateQueue"
            case (.delete, 1, _): return "DeleteQueue"
            case (.post, 2, _): return "PutMessage"
            case (.get, 2, _): return query("peekonly")?.lowercased() == "true" ? "PeekMessages" : "GetMessages"
            case (.delete, 2, _): return "ClearMessages"
            case (.delete, 3, _): return "DeleteMessage"
            case (.put, 3, _): return "UpdateMessage"
            default: return "Unknown"
            }
        }
        if blobName == nil {
            if container == nil {
                return comp == "list" ? "ListContainers" : (comp == "properties" ? "ServiceProperties" : "Unknown")
            }
            switch (method, comp) {
            case (.get, "list"): return "ListBlobs"
            case (.put, "metadata"): return "SetContainerMetadata"
            case (.put, "acl"): return "SetContainerACL"
            case (.get, "acl"): return "GetContainerACL"
            case (.put, _) where restype == "container": return "CreateContainer"
            case (.delete, _): return "DeleteContainer"
            case (.get, _), (.head, _): return "GetContainerProperties"
            default: return "Unknown"
            }
        }
        switch (method, comp) {
        case (.put, "block"): return "PutBlock"
        case (.put, "blocklist"): return "PutBlockList"
        case (.get, "blocklist"): return "GetBlockList"
        case (.put, "page"): return "PutPage"
        case (.get, "pagelist"): return "GetPageRanges"
        case (.put, "snapshot"): return "SnapshotBlob"
        case (.put, "tier"): return "SetBlobTier"
        case (.put, "metadata"): return "SetBlobMetadata"
        case (.put, "properties"): return "SetBlobProperties"
        case (.put, "tags"): return "SetBlobTags"
        case (.get, "tags"): return "GetBlobTags"
        case (.put, "lease"): return "LeaseBlob"
        case (.put, nil): return header("x-ms-copy-source") != nil ? "CopyBlob" : "PutBlob"
        case (.get, nil): return "GetBlob"
        case (.head, nil): return "GetBlobProperties"
        case (.delete, nil): return "DeleteBlob"
        default: return "Unknown"
        }
    }

    /// Adds the headers every response carries: request ID, version, client request ID echo.
    func decorate(_ response: Response) -> Response {
        var response = response
        response.headers.set("x-ms-request-id", UUID().uuidString.lowercased())
        response.headers.set("x-ms-version", header("x-ms-version") ?? StorageService.defaultVersion)
        if let clientRequestID = header("x-ms-client-request-id") {
            response.headers.set("x-ms-client-request-id", clientRequestID)
        }
        return response
    }
}
