import AzureKit
import Foundation
import HTTPTypes

/// How one top-level ARM resource type answers requests.
///
/// What every type does alike is done here: `GET` on the collection lists (paged), `GET` of one resource returns
/// it, a missing resource answers `404` (and `204` to `DELETE`), actions (`…/NAME/ACTION`) need the resource to
/// exist, and other methods answer `405`. The type supplies only what differs: its `PUT`, `PATCH`, `DELETE`,
/// actions and how a stored body is shown.
struct ResourceRoutes: Sendable {
    /// Creates or replaces the resource with the given ID.
    typealias Put = @Sendable (ARMRequest, String) async throws -> ARMResponse
    /// Changes or deletes an existing resource.
    typealias Change = @Sendable (ARMRequest, StoredResource) async throws -> ARMResponse
    /// Handles the action named by the last path segment on an existing resource.
    typealias Action = @Sendable (String, StoredResource, ARMRequest) async throws -> ARMResponse

    /// The ARM type, e.g. `Microsoft.Compute/disks`.
    var type: String
    /// How a stored body is shown to clients (the stored body itself by default).
    var render: @Sendable (AzureJSON) -> AzureJSON = { $0 }
    var put: Put
    /// `nil` when the type cannot be patched (`405`).
    var patch: Change?
    var delete: Change
    /// `nil` when the type has no actions (`404`).
    var action: Action?

    func handle(_ request: ARMRequest, cloud: CloudServices) async throws -> ARMResponse {
        let segments = request.typeSegments
        if segments.count == 1 {
            guard request.method == .get else { throw Self.methodNotAllowed(request) }
            let bodies = ProviderSupport.resources(ofType: type, in: request, cloud: cloud).map { render($0.body) }
            return ProviderSupport.list(bodies, request: request, cloud: cloud)
        }
        let id = request.resourceID(segments: 2)
        if segments.count == 3, let action {
            guard let stored = cloud.resources.get(id) else {
                throw ARMError.resourceNotFound(type: type, name: segments[1], resourceGroup: request.resourceGroup)
            }
            return try await action(segments[2], stored, request)
        }
        guard segments.count == 2 else { throw ProviderSupport.notFound(request) }
        switch request.method {
        case .get:
            guard let stored = cloud.resources.get(id) else { throw ProviderSupport.notFound(request) }
            return .ok(render(stored.body))
        case .put:
            return try await put(request, id)
        case .patch:
            guard let patch else { throw Self.methodNotAllowed(request) }
            guard let stored = cloud.resources.get(id) else { throw ProviderSupport.notFound(request) }
            return try await patch(request, stored)
        case .delete:
            guard let stored = cloud.resources.get(id) else { return .noContent }
            return try await delete(request, stored)
        default:
            throw Self.methodNotAllowed(request)
        }
    }

    /// A `PATCH` that changes only the tags and answers `200` with the rendered resource.
    static func updateTags(cloud: CloudServices, render: @escaping @Sendable (AzureJSON) -> AzureJSON) -> Change {
        { request, stored in
            let tags = try ARMValidation.tags(request.body?["tags"])
            let updated = try await cloud.resources.update(stored.id) { if let tags { $0.body["tags"] = tags } }
            return .ok(render(updated?.body ?? .null))
        }
    }

    /// Removes `stored` from the store and answers as a finished asynchronous delete (`202` with polling headers).
    static func removed(_ stored: StoredResource, request: ARMRequest, cloud: CloudServices) async throws -> ARMResponse
    {
        try await cloud.resources.delete(stored.id)
        return try await ProviderSupport.acceptedAction(
            request,
            location: stored.body["location"]?.stringValue ?? "",
            cloud: cloud
        )
    }

    private static func methodNotAllowed(_ request: ARMRequest) -> ARMError {
        ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
    }
}
