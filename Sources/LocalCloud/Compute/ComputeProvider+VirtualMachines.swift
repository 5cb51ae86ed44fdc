import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

extension ComputeProvider {
    func handleVirtualMachine(_ request: ARMRequest, cloud: CloudServices) async throws -> ARMResponse {
        let segments = request.typeSegments
        if segments.count == 1 {
            guard request.method == .get else {
                throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
            }
            let bodies = ProviderSupport.resources(ofType: VirtualMachine.resourceType, in: request, cloud: cloud)
                .map(\.body)
            return ProviderSupport.list(bodies, request: request, cloud: cloud)
        }
        let id = request.resourceID(segments: 2)
        if segments.count == 3 {
            guard let stored = cloud.resources.get(id) else {
                throw ARMError.resourceNotFound(
                    type: VirtualMachine.resourceType,
                    name: segments[1],
                    resourceGroup: request.resourceGroup
                )
            }
            return try await virtualMachineAction(segments[2], vm: stored, request: request, cloud: cloud)
        }
        guard segments.count == 2 else { throw ProviderSupport.notFound(request) }
        switch request.method {
        case .get:
            guard let stored = cloud.resources.get(id) else { throw ProviderSupport.notFound(request) }
            var body = stored.body
            if request.query("$expand")?.lowercased() == "instanceview" {
                body["properties"]?["instanceView"] = try instanceView(stored, cloud: cloud)
            }
            return .ok(body)
        case .put:
            return try await putVirtualMachine(request, id: id, cloud: cloud)
        case .patch:
            guard cloud.resources.get(id) != nil else { throw ProviderSupport.notFound(request) }
            let tags = try ARMValidation.tags(request.body?["tags"])
            let updated = try await cloud.resources.update(id) { if let tags { $0.body["tags"] = tags } }
            return .ok(updated?.body ?? .null)
        case .delete:
            guard let stored = cloud.resources.get(id) else { return .noContent }
            try await deleteVirtualMachine(stored, cloud: cloud)
            return try await ProviderSupport.acceptedAction(
                request,
                location: stored.body["location"]?.stringValue ?? "",
                cloud: cloud
            )
        default:
            throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
        }
    }

    private func virtualMachineAction(
        _ action: String,
        vm: StoredResource,
        request: ARMRequest,
        cloud: CloudServices
    ) async throws -> ARMResponse {
        let location = vm.body["location"]?.stringValue ?? ""
        let runtime = try machines.runtime(for: vm)
        switch (request.method, action.lowercased()) {
        case (.get, "instanceview"):
            return .ok(try instanceView(vm, cloud: cloud))
        case (.post, "start"):
            do { try runtime.start() } catch { throw error.armError }
            try await savePowerState(vm.id, runtime: runtime, cloud: cloud)
            await GuestNetwork.refresh(vm: vm, cloud: cloud)
            return try await ProviderSupport.acceptedAction(request, location: location, cloud: cloud)
        case (.post, "deallocate"), (.post, "poweroff"), (.post, "restart"):
            let lowered = action.lowercased()
            let operation = try await cloud.operations.begin(
                request,
                location: location,
                faultOperation: "POST \(action)",
                resume: OperationResume(
                    kind: Self.powerActionKind,
                    parameters: ["id": .string(vm.id), "action": .string(lowered)]
                )
            ) {
                try await self.performPowerAction(lowered, vmID: vm.id, cloud: cloud)
                return nil
            }
            return cloud.operations.accepted(operation, request: request)
        case (.post, "runcommand"):
            let input = try ModelCoding.model(RunCommandInput.self, from: request.body, what: "a run command")
            guard runtime.powerState == .running else {
                throw ARMError(
                    .conflict,
                    "OperationNotAllowed",
                    "Operation 'RunCommand' is not allowed on VM '\(ResourceIDs.name(vm.id))' since the VM is "
                        + "\(runtime.powerState.name). Start the VM first."
                )
            }
            let logger = cloud.logger
            let operation = try await cloud.operations.begin(
                request,
                location: location,
                faultOperation: "POST runCommand"
            ) {
                do {
                    let result = try await runtime.runCommand(input, logger: logger)
                    return try ModelCoding.value(result)
                } catch let error as ComputeError {
                    throw error.armError
                }
            }
            return cloud.operations.accepted(operation, request: request)
        default:
            throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
        }
    }

    /// The resume kind of deallocate, power-off and restart.
    static let powerActionKind = "Microsoft.Compute/virtualMachines/powerAction"

    /// Lets power actions interrupted by a restart of LocalCloud finish after it (each is safe to run again).
    func registerResumers(in cloud: CloudServices) {
        cloud.operations.registerResumer(
            Self.powerActionKind,
            OperationResumer { parameters in
                try await performPowerAction(
                    parameters["action"]?.stringValue ?? "",
                    vmID: parameters["id"]?.stringValue ?? "",
                    cloud: cloud
                )
                return nil
            }
        )
    }

    /// Deallocates, powers off or restarts the VM with `vmID` and stores its new power state.
    private func performPowerAction(_ action: String, vmID: String, cloud: CloudServices) async throws {
        guard let vm = cloud.resources.get(vmID) else {
            throw ARMError.resourceNotFound(
                type: VirtualMachine.resourceType,
                name: ResourceIDs.name(vmID),
                resourceGroup: nil
            )
        }
        let runtime = try machines.runtime(for: vm)
        switch action {
        case "deallocate": await runtime.deallocate()
        case "poweroff": await runtime.powerOff()
        default:
            await runtime.powerOff()
            do { try runtime.start() } catch { throw error.armError }
        }
        try await savePowerState(vm.id, runtime: runtime, cloud: cloud)
    }

    private func savePowerState(_ id: String, runtime: VirtualMachineRuntime, cloud: CloudServices) async throws {
        try await cloud.resources.update(id) { $0.hidden["powerState"] = .string(runtime.powerState.name) }
    }

    /// The instance view Azure reports for a VM.
    func instanceView(_ vm: StoredResource, cloud: CloudServices) throws -> AzureJSON {
        let runtime = try machines.runtime(for: vm)
        let model = try ModelCoding.model(VirtualMachine.self, from: vm.body, what: "a virtual machine")
        let ready = InstanceViewStatus(
            code: "ProvisioningState/succeeded",
            level: "Info",
            displayStatus: "Ready",
            message: "Guest Agent is running",
            time: ProviderSupport.timestamp()
        )
        let disks = model.managedDiskIds.map { diskId in
            VirtualMachine.DiskInstanceView(
                name: ResourceIDs.name(diskId),
                statuses: [
                    InstanceViewStatus(
                        code: "ProvisioningState/succeeded",
                        level: "Info",
                        displayStatus: "Provisioning succeeded"
                    )
                ]
            )
        }
        let image = model.properties?.storageProfile?.imageReference?.catalogEntry
        let view = VirtualMachine.InstanceView(
            computerName: model.properties?.osProfile?.computerName ?? model.name,
            osName: "ubuntu",
            osVersion: image?.exactVersion.split(separator: ".").prefix(2).joined(separator: ".") ?? "22.04",
            hyperVGeneration: image?.generation ?? "V2",
            vmAgent: runtime.powerState == .running
                ? VirtualMachine.VMAgent(vmAgentVersion: "2.11.1.4", statuses: [ready]) : nil,
            disks: disks,
            statuses: runtime.statuses
        )
        return try ModelCoding.value(view)
    }
}
