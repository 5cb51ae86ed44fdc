import AzureKit
import Hummingbird
import Logging

/// The one responder behind every listener: routes identity, ARM, admin and data-plane requests by path.
///
/// - `/{tenant}/oauth2/…`, `/{tenant}/v2.0/…`, `/{tenant}/discovery/…`: identity.
/// - `/subscriptions/…`, `/tenants`: ARM; `/metadata/endpoints?api-version=…`: ARM's cloud metadata.
/// - `/_localcloud/…`: administration (fault injection).
/// - `/{prefix}…/…` for a registered ``DataPlaneHandler`` prefix (e.g. `md-`): that handler.
/// - `/{account}/…` and `/{account}-queue/…`: the storage account's Blob and Queue services.
struct CloudResponder: HTTPResponder {
    typealias Context = CloudRequestContext

    let cloud: CloudServices

    func respond(to request: Request, context: CloudRequestContext) async throws -> Response {
        let parts = RequestParts(request)
        let scheme = context.localAddress.map { cloud.listeners.isTLS($0) } ?? true ? "https" : "http"
        let base = "\(scheme)://\(request.head.authority ?? "127.0.0.1")"
        guard let first = parts.segments.first else {
            return .json(.ok, ["service": "LocalCloud", "endpoints": .string(base + "/_localcloud/endpoints")])
        }
        let lowered = first.lowercased()
        if lowered == "_localcloud" {
            return await AdminEndpoints(cloud: cloud).respond(to: request, parts: parts)
        }
        let identity = IdentityEndpoints(cloud: cloud)
        if identity.matches(parts.segments) {
            return await identity.respond(to: request, parts: parts, base: base)
        }
        let metadata = CloudMetadata(cloud: cloud)
        if metadata.matches(request, parts: parts, context: context) {
            return metadata.respond(to: request, parts: parts, base: base)
        }
        if lowered == "subscriptions" || lowered == "tenants" {
            return await ARMFrontEnd(cloud: cloud).respond(to: request, parts: parts, context: context)
        }
        if let handler = cloud.dataPlane.handler(for: first) {
            do {
                return try await handler.handle(request, parts: parts, context: context, cloud: cloud)
            } catch {
                context.logger.debug("Data-plane handler failed", metadata: ["error": "\(error)"])
                return StorageErrorResponse.render(.internalError("\(error)"), method: request.method, request: request)
            }
        }
        return await StorageFrontEnd(cloud: cloud).respond(to: request, parts: parts, context: context)
    }
}
