import Foundation
import Logging
import NIOHTTP1

/// The two DiskRP resource types that share one model and one set of operations: managed disks
/// and their snapshots (`Microsoft.Compute/disks`, `Microsoft.Compute/snapshots`).
enum ManagedDiskType: String, Sendable {
    /// `Microsoft.Compute/disks`.
    case disk = "disks"
    /// `Microsoft.Compute/snapshots`.
    case snapshot = "snapshots"

    /// The prefix of operation names in logs, `arm.disk` or `arm.snapshot`.
    var operationPrefix: String {
        switch self {
        case .disk: "arm.disk"
        case .snapshot: "arm.snapshot"
        }
    }
}

extension ARMClient {
    func managedDiskPath(_ type: ManagedDiskType, resourceGroup: String, name: String) -> String {
        resourcePath(resourceGroup: resourceGroup, provider: "Microsoft.Compute", type: type.rawValue, name: name)
    }

    /// PUT (create or update) of a disk or snapshot, waiting until it is provisioned.
    func putManagedDisk(
        _ type: ManagedDiskType,
        resourceGroup: String,
        name: String,
        body: ARMResource<DiskProperties>,
        logger: Logger
    ) async throws -> ARMResource<DiskProperties> {
        try await writeResource(
            .PUT,
            managedDiskPath(type, resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.disks,
            body: body,
            operation: type.operationPrefix + ".create",
            logger: logger
        )
    }

    /// GET of a disk or snapshot, `nil` on 404.
    func managedDisk(_ type: ManagedDiskType, resourceGroup: String, name: String, logger: Logger) async throws
        -> ARMResource<DiskProperties>?
    {
        try await getIfExists(
            path: managedDiskPath(type, resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.disks,
            logger: logger
        )
    }

    /// The disks or snapshots of a resource group, or of the subscription when `resourceGroup` is `nil`.
    func listManagedDisks(_ type: ManagedDiskType, resourceGroup: String?, logger: Logger)
        -> AzurePagedSequence<ARMResource<DiskProperties>>
    {
        let scope = resourceGroup.map(resourceGroupPath) ?? "/subscriptions/\(subscriptionID)"
        return list(
            path: "\(scope)/providers/Microsoft.Compute/\(type.rawValue)",
            apiVersion: ARMAPIVersion.disks,
            logger: logger
        )
    }

    /// DELETE of a disk or snapshot, waiting (200, 202 then polling, or 204 when already gone).
    func deleteManagedDisk(_ type: ManagedDiskType, resourceGroup: String, name: String, logger: Logger)
        async throws
    {
        try await deleteResource(
            managedDiskPath(type, resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.disks,
            operation: type.operationPrefix + ".delete",
            logger: logger
        )
    }

    /// beginGetAccess (Disks_GrantAccess / Snapshots_GrantAccess): a long-running POST whose result
    /// (`AccessUri`) is read from the `Location` URL (the specification's `final-state-via: location`);
    /// with only `Azure-AsyncOperation` it is the status body's `properties.output`.
    func grantAccess(
        _ type: ManagedDiskType,
        resourceGroup: String,
        name: String,
        access: DiskAccessLevel,
        duration: Duration,
        logger: Logger
    ) async throws -> String {
        let path = managedDiskPath(type, resourceGroup: resourceGroup, name: name)
        let response = try await longRunning(
            .POST,
            path: path + "/beginGetAccess",
            apiVersion: ARMAPIVersion.disks,
            body: GrantAccessData(access: access, durationInSeconds: Int(duration.components.seconds)),
            finalState: .location,
            operation: "arm.access.grant",
            logger: logger
        )
        let json = response.json
        if let sas = json["accessSAS"]?.stringValue ?? json["properties"]?["output"]?["accessSAS"]?.stringValue {
            return sas
        }
        throw AzureError(
            .invalidResponse,
            status: response.status,
            message: "beginGetAccess on \(path) finished without an accessSAS.",
            requestID: response.headers.first(name: "x-ms-request-id"),
            resource: path
        )
    }

    /// endGetAccess (Disks_RevokeAccess / Snapshots_RevokeAccess): a long-running POST without a result.
    func revokeAccess(_ type: ManagedDiskType, resourceGroup: String, name: String, logger: Logger) async throws {
        try await longRunning(
            .POST,
            path: managedDiskPath(type, resourceGroup: resourceGroup, name: name) + "/endGetAccess",
            apiVersion: ARMAPIVersion.disks,
            finalState: ARMFinalState.none,
            operation: "arm.access.revoke",
            logger: logger
        )
    }
}
