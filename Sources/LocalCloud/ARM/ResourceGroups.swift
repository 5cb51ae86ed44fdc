import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

/// `Microsoft.Resources/resourceGroups`: create, get, check, update tags, list, and delete (a long-running
/// operation that deletes every contained resource through its provider).
struct ResourceGroups: Sendable {
    static let type = "Microsoft.Resources/resourceGroups"

    func handle(_ request: ARMRequest, name: String?, cloud: CloudServices) async throws -> ARMResponse {
        let scope = "/subscriptions/\(request.subscriptionID)/resourceGroups"
        guard let name else {
            guard request.method == .get else {
                throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
            }
            let groups = cloud.resources.list(prefix: scope + "/").filter { resource in
                resource.id.dropFirst(scope.count + 1).contains("/") == false
            }
            return .ok(ARMPaging.page(groups.map(\.body), request: request, pageSize: cloud.listPageSize))
        }
        let id = "\(scope)/\(name)"
        switch request.method {
        case .get:
            guard let group = cloud.resources.get(id) else { throw ARMError.resourceGroupNotFound(name) }
            return .ok(group.body)
        case .head:
            return ARMResponse(status: cloud.resources.get(id) == nil ? .notFound : .noContent)
        case .put:
            return try await put(request, id: id, name: name, cloud: cloud)
        case .patch:
            guard cloud.resources.get(id) != nil else { throw ARMError.resourceGroupNotFound(name) }
            let tags = try ARMValidation.tags(request.body?["tags"])
            let updated = try await cloud.resources.update(id) { group in
                if let tags { group.body["tags"] = tags }
            }
            return .ok(updated?.body ?? .null)
        case .delete:
            return try await delete(request, id: id, name: name, cloud: cloud)
        default:
            throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
        }
    }

    private func put(_ request: ARMRequest, id: String, name: String, cloud: CloudServices) async throws -> ARMResponse
    {
        try ARMValidation.resourceGroupName(name)
        guard let body = request.body, case .object = body else {
            throw ARMError.invalidRequestContent("The request content was invalid and could not be deserialized.")
        }
        guard let location = body["location"]?.stringValue else {
            throw ARMError(.badRequest, "LocationRequired", "The location property is required for this definition.")
        }
        let region = try cloud.region(location)
        let tags = try ARMValidation.tags(body["tags"]) ?? .emptyObject
        if let existing = cloud.resources.get(id) {
            if existing.body["location"]?.stringValue != region {
                throw ARMError(
                    .conflict,
                    "InvalidResourceGroupLocation",
                    "Invalid resource group location '\(region)'. The Resource group already exists in location '\(existing.body["location"]?.stringValue ?? "")'."
                )
            }
            let updated = try await cloud.resources.update(id) { $0.body["tags"] = tags }
            return .ok(updated?.body ?? .null)
        }
        let group: AzureJSON = [
            "id": .string(id), "name": .string(name), "type": .string(Self.type), "location": .string(region),
            "tags": tags, "properties": ["provisioningState": "Succeeded"],
        ]
        try await cloud.resources.put(StoredResource(id: id, body: group))
        return .created(group)
    }

    private func delete(_ request: ARMRequest, id: String, name: String, cloud: CloudServices) async throws
        -> ARMResponse
    {
        guard let group = cloud.resources.get(id) else { throw ARMError.resourceGroupNotFound(name) }
        try await cloud.resources.update(id) { $0.body["properties"] = ["provisioningState": "Deleting"] }
        let location = group.body["location"]?.stringValue ?? "westeurope"
        let operation = try await cloud.operations.begin(
            request,
            location: location,
            faultOperation: "DELETE resourceGroups",
            resume: OperationResume(kind: Self.deleteKind, parameters: ["id": .string(id)])
        ) {
            try await Self.finishDeletion(groupID: id, cloud: cloud)
        }
        return cloud.operations.accepted(operation, request: request, headers: .location)
    }

    /// The resume kind of resource group deletion.
    static let deleteKind = "Microsoft.Resources/resourceGroups/delete"

    /// Lets group deletions interrupted by a restart finish after it.
    static func registerResumers(in cloud: CloudServices) {
        cloud.operations.registerResumer(
            deleteKind,
            OperationResumer { parameters in
                try await finishDeletion(groupID: parameters["id"]?.stringValue ?? "", cloud: cloud)
            }
        )
    }

    /// Deletes the group's resources, then the group (safe to run again after a partial run).
    private static func finishDeletion(groupID: String, cloud: CloudServices) async throws -> AzureJSON? {
        try await cascade(groupID: groupID, cloud: cloud)
        try await cloud.resources.delete(groupID)
        return nil
    }

    /// Deletes every resource inside the group, children first, each through its provider.
    static func cascade(groupID: String, cloud: CloudServices) async throws {
        let contained = cloud.resources.list(prefix: groupID + "/providers/")
        for resource in contained.sorted(by: { $0.id.count > $1.id.count }) {
            guard cloud.resources.get(resource.id) != nil else { continue }
            let parts = resource.id.split(separator: "/").map(String.init)
            if let index = parts.firstIndex(where: { $0.lowercased() == "providers" }), index + 2 < parts.count,
                let provider = cloud.arm.provider(namespace: parts[index + 1], type: parts[index + 2])
            {
                try await provider.deleteForResourceGroup(resource, cloud: cloud)
            } else {
                try await cloud.resources.delete(resource.id)
            }
        }
    }
}
