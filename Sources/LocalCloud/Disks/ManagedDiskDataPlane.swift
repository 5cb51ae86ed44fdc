import AzureKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The data plane of disk and snapshot SAS URLs (`/md-<key>/<grant>/abcd?sv=…&sig=…`): the disk is a page blob
/// that can be read (Get Blob with ranges, Get Blob Properties), listed (Get Page Ranges, also as a diff against a
/// previous snapshot's SAS URL) and, for disks in upload state with a Write grant, written (Put Page).
///
/// Every request is checked against the grant (signature, expiry, revocation, permission) and against the
/// resource's `networkAccessPolicy`: `AllowPrivate` accepts only requests that arrived on the address of a private
/// endpoint of the resource's disk access.
struct ManagedDiskDataPlane: DataPlaneHandler {
    let disks: ManagedDisks

    /// The resource a request addresses and what it may do.
    struct Target {
        let resource: StoredResource
        let grant: DiskAccessGrant
        let version: PageStore.Version
        let size: Int64
    }

    func handle(
        _ request: Request,
        parts: RequestParts,
        context: CloudRequestContext,
        cloud: CloudServices
    ) async throws -> Response {
        if parts.segments.first?.lowercased() == Self.guestSegment {
            return await handleGuest(request, parts: parts, cloud: cloud)
        }
        do {
            let writes = request.method == .put
            let target = try resolve(parts: parts, needsWrite: writes, cloud: cloud)
            try checkNetwork(target.resource, context: context, cloud: cloud)
            let comp = parts.value("comp")?.lowercased()
            let loseResponse = try await injectFault(request, parts: parts, comp: comp, context: context, cloud: cloud)
            defer { if loseResponse { context.dropConnection() } }
            switch (request.method, comp) {
            case (.head, nil):
                return properties(target, request: request)
            case (.get, nil):
                return try await read(target, request: request)
            case (.get, "pagelist"):
                return try pageList(target, request: request, parts: parts, cloud: cloud)
            case (.put, "page"):
                return try await putPage(target, request: request)
            default:
                throw StorageError(
                    .badRequest,
                    "UnsupportedHttpVerb",
                    "The resource doesn't support the specified HTTP verb or query on a managed disk SAS URL."
                )
            }
        } catch let error as StorageError {
            return StorageErrorResponse.render(error, method: request.method, request: request)
        }
    }

    /// Finds the disk or snapshot and its grant, and checks the SAS.
    func resolve(parts: RequestParts, needsWrite: Bool, cloud: CloudServices) throws(StorageError) -> Target {
        let segments = parts.segments
        guard segments.count == 3, segments[2] == DiskAccessGrant.blobName else {
            throw StorageError(.notFound, "ResourceNotFound", "The specified resource does not exist.")
        }
        let key = String(segments[0].dropFirst(3))
        guard let id = disks.resourceID(blobKey: key, cloud: cloud), let resource = cloud.resources.get(id),
            let version = ManagedDisks.version(of: resource)
        else {
            throw StorageError(.notFound, "ResourceNotFound", "The specified resource does not exist.")
        }
        guard let grant = ComputeProvider.grants(of: resource).first(where: { $0.id == segments[1] }) else {
            throw .authenticationFailed(
                "The access to \(ResourceIDs.name(id)) was ended (endGetAccess) or never granted; call beginGetAccess."
            )
        }
        try grant.verify(query: parts.firstValues, now: Date(), needsWrite: needsWrite)
        guard let size = try? disks.pages.size(of: version) else {
            throw StorageError(.notFound, "BlobNotFound", "The specified blob does not exist.")
        }
        return Target(resource: resource, grant: grant, version: version, size: size)
    }

    /// Applies the first fault rule for service `disk` that matches (operations `GetBlob`, `GetBlobProperties`,
    /// `GetPageRanges`, `PutPage`); returns whether the connection is to be closed after the answer.
    func injectFault(
        _ request: Request,
        parts: RequestParts,
        comp: String?,
        context: CloudRequestContext,
        cloud: CloudServices
    ) async throws -> Bool {
        let operation: String
        switch (request.method, comp) {
        case (.head, _): operation = "GetBlobProperties"
        case (.get, "pagelist"): operation = "GetPageRanges"
        case (.put, _): operation = "PutPage"
        default: operation = "GetBlob"
        }
        guard
            let action = await cloud.faults.action(
                service: "disk",
                account: nil,
                operation: operation,
                method: request.method.rawValue,
                path: parts.rawPath
            )
        else { return false }
        switch action {
        case .throttle(let status, let code, let retryAfter):
            throw StorageError(
                HTTPResponse.Status(code: status),
                code,
                "The server is currently unable to receive requests. Please retry your request.",
                headers: ["Retry-After": String(retryAfter)]
            )
        case .delay(let milliseconds):
            try await Task.sleep(for: .milliseconds(milliseconds))
            return false
        case .drop:
            context.dropConnection()
            throw StorageError(.serviceUnavailable, "ServerBusy", "The connection was dropped (injected fault).")
        case .loseResponse:
            return true
        case .slowWrite:
            // Slow page writes are a blob-service fault; a managed disk's data plane handles the request normally.
            return false
        }
    }

    /// Refuses requests that did not come through an allowed network path.
    func checkNetwork(_ resource: StoredResource, context: CloudRequestContext, cloud: CloudServices)
        throws(StorageError)
    {
        let properties = resource.body["properties"]
        let policy =
            properties?["networkAccessPolicy"]?.stringValue.flatMap(NetworkAccessPolicy.init(parsing:))
            ?? .allowAll
        let publicDisabled = properties?["publicNetworkAccess"]?.stringValue?.lowercased() == "disabled"
        switch policy {
        case .denyAll:
            throw .authorizationFailure
        case .allowPrivate:
            guard let accessId = properties?["diskAccessId"]?.stringValue,
                cloud.privateEndpoints.allows(target: accessId, groupID: "disks", at: context.localAddress)
            else { throw .authorizationFailure }
        default:
            if publicDisabled { throw .authorizationFailure }
        }
    }

    /// The headers every successful response carries.
    func commonHeaders(_ target: Target, request: Request) -> HTTPFields {
        var headers = HTTPFields()
        headers[.lastModified] = HTTPDate.rfc1123(lastModified(target))
        headers[.eTag] = etag(target)
        headers[.date] = HTTPDate.rfc1123(Date())
        headers[Self.field("x-ms-request-id")] = UUID().uuidString.lowercased()
        headers[Self.field("x-ms-version")] = request.header("x-ms-version") ?? StorageService.defaultVersion
        if let clientRequestID = request.header("x-ms-client-request-id") {
            headers[Self.field("x-ms-client-request-id")] = clientRequestID
        }
        return headers
    }

    func lastModified(_ target: Target) -> Date {
        let created = target.resource.body["properties"]?["timeCreated"]?.stringValue
        return created.flatMap(HTTPDate.parseISO8601) ?? Date(timeIntervalSince1970: 0)
    }

    func etag(_ target: Target) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let text: String
        switch target.version {
        case .volume(let volume): text = volume.rawValue
        case .snapshot(let snapshot): text = snapshot.rawValue
        }
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return "\"0x8D" + String(hash, radix: 16, uppercase: true) + "\""
    }

    static func field(_ name: String) -> HTTPField.Name {
        HTTPField.Name(name) ?? .contentType
    }
}
