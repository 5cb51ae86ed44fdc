import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

/// Converts between the typed resource models and the ``AzureJSON`` documents the resource store keeps.
enum ModelCoding {
    /// The JSON document of `model`.
    static func value(_ model: some Encodable) throws -> AzureJSON {
        try AzureJSON(parsing: JSONEncoder().encode(model))
    }

    /// Decodes a request body or stored document as `type`.
    ///
    /// - Throws: ``ARMError`` `InvalidRequestContent` naming `what` when the document does not fit.
    static func model<T: Decodable>(_ type: T.Type, from value: AzureJSON?, what: String) throws -> T {
        guard let value, value != .null else {
            throw ARMError.invalidRequestContent("The request content for \(what) is missing; send a JSON body.")
        }
        do {
            return try JSONDecoder().decode(T.self, from: value.serialized())
        } catch let DecodingError.dataCorrupted(context) {
            throw ARMError.invalidRequestContent(
                "The request content for \(what) is invalid: \(context.debugDescription)"
            )
        } catch let DecodingError.keyNotFound(key, _) {
            throw ARMError.invalidRequestContent(
                "The request content for \(what) lacks the property '\(key.stringValue)'."
            )
        } catch {
            throw ARMError.invalidRequestContent(
                "The request content was invalid and could not be deserialized as \(what)."
            )
        }
    }
}

extension ComputeError {
    /// The ARM error response Azure gives for this error.
    var armError: ARMError {
        ARMError(HTTPResponse.Status(code: code.status), code.azureCode, message, target: target)
    }
}

/// Small helpers over ARM resource IDs.
enum ResourceIDs {
    /// The last segment of an ID: the resource's name.
    static func name(_ id: String) -> String {
        String(id.split(separator: "/").last ?? "")
    }

    /// The resource group of an ID, or `nil`.
    static func resourceGroup(_ id: String) -> String? {
        let parts = id.split(separator: "/").map(String.init)
        guard let index = parts.firstIndex(where: { $0.lowercased() == "resourcegroups" }), index + 1 < parts.count
        else { return nil }
        return parts[index + 1]
    }

    /// The ID of the parent resource (two segments shorter), e.g. the VNet of a subnet.
    static func parent(_ id: String) -> String {
        var parts = id.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(min(2, parts.count))
        return parts.joined(separator: "/")
    }

    /// Whether `id` names a resource of `type` (for example `Microsoft.Compute/disks`), case-insensitively.
    static func isType(_ id: String, _ type: String) -> Bool {
        let parts = id.split(separator: "/").map { $0.lowercased() }
        guard let providers = parts.lastIndex(of: "providers"), providers + 1 < parts.count else { return false }
        let rest = Array(parts[(providers + 1)...])
        var types = [rest[0]]
        var index = 1
        while index < rest.count {
            types.append(rest[index])
            index += 2
        }
        return types.joined(separator: "/") == type.lowercased() && rest.count % 2 == 1
    }
}

/// Lists, GET/DELETE plumbing shared by the compute and network providers.
enum ProviderSupport {
    /// The stored resources of `type` in the request's scope (resource group or subscription).
    static func resources(ofType type: String, in request: ARMRequest, cloud: CloudServices) -> [StoredResource] {
        cloud.resources.list(prefix: request.scopeID + "/").filter { ResourceIDs.isType($0.id, type) }
    }

    /// Every stored resource of `type` in any scope.
    static func allResources(ofType type: String, cloud: CloudServices) -> [StoredResource] {
        cloud.resources.list { ResourceIDs.isType($0.id, type) }
    }

    /// A paged list response of `bodies`.
    static func list(_ bodies: [AzureJSON], request: ARMRequest, cloud: CloudServices) -> ARMResponse {
        .ok(ARMPaging.page(bodies, request: request, pageSize: cloud.listPageSize))
    }

    /// 404 `ResourceNotFound` for the resource the request names.
    static func notFound(_ request: ARMRequest) -> ARMError {
        ARMError.resourceNotFound(
            type: request.resourceType,
            name: ResourceIDs.name(request.resourceID),
            resourceGroup: request.resourceGroup
        )
    }

    /// The request's `location`, validated and normalised.
    static func location(_ body: AzureJSON?, cloud: CloudServices) throws -> String {
        guard let location = body?["location"]?.stringValue else {
            throw ARMError(.badRequest, "LocationRequired", "The location property is required for this definition.")
        }
        return try cloud.region(location)
    }

    /// ISO 8601 with fractional seconds, as Azure writes `timeCreated`.
    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// A new lowercase GUID.
    static func guid() -> String {
        UUID().uuidString.lowercased()
    }

    /// A 202 for a finished asynchronous action, with both polling headers; the poll answers with `result`.
    static func acceptedAction(
        _ request: ARMRequest,
        location: String,
        cloud: CloudServices,
        result: AzureJSON? = nil
    ) async throws -> ARMResponse {
        let operation = try await cloud.operations.completed(request, location: location, result: result)
        return cloud.operations.accepted(operation, request: request)
    }
}
