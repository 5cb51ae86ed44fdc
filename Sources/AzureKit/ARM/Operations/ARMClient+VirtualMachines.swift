import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension ARMClient {
    /// The path of a virtual machine.
    public func virtualMachinePath(resourceGroup: String, name: String) -> String {
        resourcePath(resourceGroup: resourceGroup, provider: "Microsoft.Compute", type: "virtualMachines", name: name)
    }

    /// Creates or updates a VM and waits until it is provisioned.
    @discardableResult
    public func createVirtualMachine(resourceGroup: String, name: String, vm: VirtualMachine, logger: Logger)
        async throws
        -> VirtualMachine
    {
        let path = virtualMachinePath(resourceGroup: resourceGroup, name: name)
        return try await writeResource(
            .PUT,
            path,
            apiVersion: ARMAPIVersion.virtualMachines,
            body: vm,
            operation: "arm.vm.create",
            logger: logger
        )
    }

    /// A VM (with its instance view when `expandInstanceView`), or `nil` if absent.
    public func virtualMachine(resourceGroup: String, name: String, expandInstanceView: Bool = false, logger: Logger)
        async throws
        -> VirtualMachine?
    {
        let path = virtualMachinePath(resourceGroup: resourceGroup, name: name)
        let target = url(
            path: path,
            apiVersion: ARMAPIVersion.virtualMachines,
            query: expandInstanceView ? [("$expand", "instanceView")] : []
        )
        do {
            return try await send(.GET, url: target, operation: "arm.vm.get", logger: logger).decode(resource: path)
        } catch let error as AzureError where error.isNotFound {
            return nil
        }
    }

    /// The VMs of a resource group, or of the subscription when `resourceGroup` is `nil`.
    public func listVirtualMachines(resourceGroup: String? = nil, logger: Logger) -> AzurePagedSequence<VirtualMachine>
    {
        let scope = resourceGroup.map(resourceGroupPath) ?? "/subscriptions/\(subscriptionID)"
        return list(
            path: "\(scope)/providers/Microsoft.Compute/virtualMachines",
            apiVersion: ARMAPIVersion.virtualMachines,
            logger: logger
        )
    }

    /// A VM's instance view (power state and statuses).
    public func virtualMachineInstanceView(resourceGroup: String, name: String, logger: Logger) async throws
        -> VirtualMachineInstanceView
    {
        try await get(
            path: virtualMachinePath(resourceGroup: resourceGroup, name: name) + "/instanceView",
            apiVersion: ARMAPIVersion.virtualMachines,
            logger: logger
        )
    }

    /// Starts a VM and waits.
    public func startVirtualMachine(resourceGroup: String, name: String, logger: Logger) async throws {
        try await vmAction("start", resourceGroup: resourceGroup, name: name, logger: logger)
    }

    /// Deallocates a VM (stops billing for compute) and waits.
    public func deallocateVirtualMachine(resourceGroup: String, name: String, logger: Logger) async throws {
        try await vmAction("deallocate", resourceGroup: resourceGroup, name: name, logger: logger)
    }

    /// Deletes a VM (and the disks and NICs marked `deleteOption: Delete`) and waits.
    public func deleteVirtualMachine(resourceGroup: String, name: String, logger: Logger) async throws {
        try await deleteResource(
            virtualMachinePath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.virtualMachines,
            operation: "arm.vm.delete",
            logger: logger
        )
    }

    /// Runs a shell script on a VM (Run Command, action form) and returns its statuses and output
    /// (the service keeps only the last 4,096 bytes of output).
    ///
    /// The result is read the way Azure's own clients read it: from the `Azure-AsyncOperation` status
    /// body's `properties.output` (as Azure PowerShell's recorded traffic shows), or, when the service
    /// sends only `Location`, from the final `Location` answer.
    public func runCommand(resourceGroup: String, name: String, input: RunCommandInput, logger: Logger) async throws
        -> RunCommandResult
    {
        let path = virtualMachinePath(resourceGroup: resourceGroup, name: name)
        let response = try await longRunning(
            .POST,
            path: path + "/runCommand",
            apiVersion: ARMAPIVersion.virtualMachines,
            body: input,
            finalState: .azureAsyncOperation,
            operation: "arm.vm.runcommand",
            logger: logger
        )
        // With Azure-AsyncOperation only, the result sits in the status body's `properties.output`.
        if let output = response.json["properties"]?["output"], case .object = output {
            let data = try JSONEncoder().encode(output)
            return try ARMResponse(status: response.status, headers: response.headers, body: Array(data)).decode(
                resource: path
            )
        }
        return try response.decode(resource: path)
    }

    func vmAction(_ action: String, resourceGroup: String, name: String, logger: Logger) async throws {
        try await longRunning(
            .POST,
            path: virtualMachinePath(resourceGroup: resourceGroup, name: name) + "/" + action,
            apiVersion: ARMAPIVersion.virtualMachines,
            finalState: ARMFinalState.none,
            operation: "arm.vm.\(action)",
            logger: logger
        )
    }
}
