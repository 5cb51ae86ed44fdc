/// A resource provider plugged into LocalCloud's ARM front end, serving one namespace's resource types.
///
/// The front end authenticates the caller, checks `api-version`, parses the path and finds the provider by
/// namespace and top-level type (`Microsoft.Compute` + `disks`). The provider then handles everything at or below
/// that type: the resource itself, its child resources (`virtualNetworks/x/subnets/y`), actions
/// (`disks/x/beginGetAccess`) and lists at resource-group and subscription scope.
///
/// Register providers in ``BuiltInProviders``. Persist resources in ``CloudServices/resources`` and run long work
/// through ``CloudServices/operations``.
public protocol ARMResourceProvider: Sendable {
    /// The provider namespace, e.g. `Microsoft.Compute` (matched case-insensitively).
    var namespace: String { get }
    /// The top-level resource types served, e.g. `["disks", "snapshots"]` (matched case-insensitively).
    var resourceTypes: [String] { get }

    /// Handles one request addressed to one of ``resourceTypes`` (or something below it).
    ///
    /// Throw ``ARMError`` for Azure-shaped failures.
    func handle(_ request: ARMRequest, cloud: CloudServices) async throws -> ARMResponse

    /// Deletes a resource of this provider because its resource group is being deleted. The default removes it
    /// from the store; override to release processes, listeners or data first.
    func deleteForResourceGroup(_ resource: StoredResource, cloud: CloudServices) async throws

    /// Called once after LocalCloud has started (listeners bound), to restore runtime state from persisted
    /// resources, e.g. re-adding private endpoint listeners or restarting VM processes.
    func restore(cloud: CloudServices) async throws

    /// Called when LocalCloud shuts down, to release runtime state that must not outlive it (e.g. the processes
    /// of running VMs). Persisted resources stay as they are.
    func shutdown(cloud: CloudServices) async
}

extension ARMResourceProvider {
    /// Removes the resource from the store.
    public func deleteForResourceGroup(_ resource: StoredResource, cloud: CloudServices) async throws {
        try await cloud.resources.delete(resource.id)
    }

    /// Does nothing.
    public func restore(cloud: CloudServices) async throws {}

    /// Does nothing.
    public func shutdown(cloud: CloudServices) async {}
}
