import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

extension ComputeProvider {
    /// `beginGetAccess` / `endGetAccess` on a disk or snapshot.
    func accessAction(
        _ action: String,
        resource: StoredResource,
        request: ARMRequest,
        cloud: CloudServices
    ) async throws -> ARMResponse {
        guard request.method == .post else {
            throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
        }
        let location = resource.body["location"]?.stringValue ?? ""
        switch action.lowercased() {
        case "begingetaccess":
            let url = try await grantAccess(resource, body: request.body, cloud: cloud)
            return try await ProviderSupport.acceptedAction(
                request,
                location: location,
                cloud: cloud,
                result: ["accessSAS": .string(url)]
            )
        case "endgetaccess":
            try await revokeAccess(resource, cloud: cloud)
            return try await ProviderSupport.acceptedAction(request, location: location, cloud: cloud)
        default:
            throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
        }
    }

    private func grantAccess(_ resource: StoredResource, body: AzureJSON?, cloud: CloudServices) async throws -> String
    {
        let isSnapshot = ResourceIDs.isType(resource.id, Snapshot.resourceType)
        let name = ResourceIDs.name(resource.id)
        guard let accessText = body?["access"]?.stringValue,
            let access = DiskAccessGrant.Access(
                rawValue: accessText.prefix(1).uppercased() + accessText.dropFirst().lowercased()
            )
        else {
            throw ARMError.invalidParameter("access", "beginGetAccess on \(name) needs access Read or Write.")
        }
        guard let duration = body?["durationInSeconds"]?.intValue, duration > 0 else {
            throw ARMError.invalidParameter(
                "durationInSeconds",
                "beginGetAccess on \(name) needs a positive durationInSeconds."
            )
        }
        let state = resource.body["properties"]?["diskState"]?.stringValue ?? "Unattached"
        if access == .write {
            guard !isSnapshot, state == "ReadyToUpload" || state == "ActiveUpload" else {
                throw ARMError(
                    .conflict,
                    "OperationNotAllowed",
                    "Write access is only granted to disks created with createOption Upload; \(name) is \(state)."
                )
            }
        } else {
            if state == "ReadyToUpload" || state == "ActiveUpload" {
                throw ARMError(
                    .conflict,
                    "OperationNotAllowed",
                    "Disk \(name) is waiting for an upload; grant Write access to upload it."
                )
            }
            if let owner = resource.body["managedBy"]?.stringValue, let vm = cloud.resources.get(owner),
                vm.hidden["powerState"]?.stringValue == PowerState.running.name
            {
                // Azure's wording (seen in Microsoft/AzureStorageExplorer#5994); snapshot the disk and export the
                // snapshot, or deallocate the VM.
                throw ARMError(
                    .conflict,
                    "OperationNotAllowed",
                    "Access not permitted because disk \(name) is currently attached to running VM \(owner)."
                )
            }
        }
        guard let blobKey = resource.hidden["blobKey"]?.stringValue else {
            throw ARMError(.internalServerError, "InternalDiskManagementError", "Disk \(name) has no data.")
        }
        let grant = DiskAccessGrant(
            blobKey: blobKey,
            resourceId: resource.id,
            access: access,
            duration: duration,
            now: Date()
        )
        let encoded = try ModelCoding.value(grant)
        try await cloud.resources.update(resource.id) { stored in
            var grants = stored.hidden["grants"]?.arrayValue ?? []
            grants.append(encoded)
            stored.hidden["grants"] = .array(grants)
            stored.body["properties"]?["diskState"] = .string(access == .write ? "ActiveUpload" : "ActiveSAS")
        }
        return grant.url(baseURL: cloud.publicBaseURL)
    }

    private func revokeAccess(_ resource: StoredResource, cloud: CloudServices) async throws {
        try await cloud.resources.update(resource.id) { stored in
            stored.hidden["grants"] = []
            let state = stored.body["properties"]?["diskState"]?.stringValue ?? "Unattached"
            let next: String
            switch state {
            case "ReadyToUpload": next = "ReadyToUpload"
            default: next = stored.body["managedBy"]?.stringValue == nil ? "Unattached" : "Attached"
            }
            stored.body["properties"]?["diskState"] = .string(next)
        }
    }

    /// The live grants of a stored disk or snapshot.
    static func grants(of resource: StoredResource) -> [DiskAccessGrant] {
        (resource.hidden["grants"]?.arrayValue ?? []).compactMap {
            try? ModelCoding.model(DiskAccessGrant.self, from: $0, what: "a grant")
        }
    }
}
