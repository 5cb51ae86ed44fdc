import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

extension NetworkProvider {
    func handleNetworkInterface(_ request: ARMRequest, cloud: CloudServices) async throws -> ARMResponse {
        let render: @Sendable (AzureJSON) -> AzureJSON = { renderInterface($0, cloud: cloud) }
        let routes = ResourceRoutes(
            type: NetworkInterface.resourceType,
            render: render,
            put: { request, id in try await putInterface(request, id: id, cloud: cloud) },
            patch: ResourceRoutes.updateTags(cloud: cloud, render: render),
            delete: { request, stored in
                let id = stored.id
                if let vm = Self.virtualMachine(using: id, cloud: cloud) {
                    throw ARMError(
                        .badRequest,
                        "NicInUse",
                        "Network Interface \(id) is used by existing resource \(vm). In order to delete the network "
                            + "interface, it must be dissociated from the resource."
                    )
                }
                if let endpoint = stored.body["properties"]?["privateEndpoint"]?["id"]?.stringValue {
                    throw ARMError(
                        .badRequest,
                        "CannotDeleteNicOwnedByPrivateEndpoint",
                        "Network interface \(id) is owned by private endpoint \(endpoint); delete the private endpoint."
                    )
                }
                return try await ResourceRoutes.removed(stored, request: request, cloud: cloud)
            }
        )
        return try await routes.handle(request, cloud: cloud)
    }

    private func putInterface(_ request: ARMRequest, id: String, cloud: CloudServices) async throws -> ARMResponse {
        let location = try ProviderSupport.location(request.body, cloud: cloud)
        var interface = try ModelCoding.model(NetworkInterface.self, from: request.body, what: "a network interface")
        let tags = try ARMValidation.tags(request.body?["tags"])
        let existing = cloud.resources.get(id)
        let previous = existing.flatMap { try? ModelCoding.model(NetworkInterface.self, from: $0.body, what: "") }
        var configurations = interface.properties?.ipConfigurations ?? []
        guard !configurations.isEmpty else {
            throw ARMError.invalidParameter(
                "properties.ipConfigurations",
                "Network interface \(id) needs at least one IP configuration with a subnet."
            )
        }
        var taken = usedAddresses(cloud: cloud, except: id)
        for index in configurations.indices {
            var configuration = configurations[index]
            let name = configuration.name ?? "ipconfig\(index + 1)"
            guard let subnetId = configuration.properties?.subnet?.id else {
                throw ARMError.invalidParameter(
                    "properties.ipConfigurations.subnet",
                    "The IP configuration '\(name)' of network interface \(id) needs a subnet."
                )
            }
            guard let found = Self.subnet(subnetId, cloud: cloud), found.network.location == location else {
                throw Self.invalidReference(subnetId, by: id)
            }
            var properties = configuration.properties ?? NetworkInterface.IPConfiguration.Properties()
            let kept = previous?.properties?.ipConfigurations?.first { $0.name == name }?.properties?.privateIPAddress
            if properties.privateIPAllocationMethod?.lowercased() != "static" || properties.privateIPAddress == nil {
                if let kept {
                    properties.privateIPAddress = kept
                } else {
                    guard let prefix = found.subnet.prefix.flatMap(IPv4Prefix.init),
                        let address = prefix.firstFree(excluding: taken)
                    else {
                        throw ARMError(
                            .badRequest,
                            "SubnetIsFull",
                            "Subnet \(subnetId) has no free private address left for network interface \(id)."
                        )
                    }
                    properties.privateIPAddress = address
                }
                properties.privateIPAllocationMethod = "Dynamic"
            }
            taken.insert(properties.privateIPAddress ?? "")
            properties.privateIPAddressVersion = "IPv4"
            properties.primary = properties.primary ?? (index == 0)
            properties.provisioningState = "Succeeded"
            configuration.name = name
            configuration.id = "\(id)/ipConfigurations/\(name)"
            configuration.type = "Microsoft.Network/networkInterfaces/ipConfigurations"
            configuration.properties = properties
            configurations[index] = configuration
        }
        interface.id = id
        interface.name = ResourceIDs.name(id)
        interface.type = NetworkInterface.resourceType
        interface.location = location
        interface.etag = "W/\"\(ProviderSupport.guid())\""
        var properties = interface.properties ?? NetworkInterface.Properties()
        properties.ipConfigurations = configurations
        properties.provisioningState = "Succeeded"
        properties.resourceGuid = previous?.properties?.resourceGuid ?? ProviderSupport.guid()
        properties.nicType = "Standard"
        properties.enableAcceleratedNetworking = properties.enableAcceleratedNetworking ?? false
        properties.enableIPForwarding = properties.enableIPForwarding ?? false
        properties.macAddress = previous?.properties?.macAddress ?? Self.macAddress()
        properties.virtualMachine = nil
        properties.privateEndpoint = previous?.properties?.privateEndpoint
        interface.properties = properties
        var body = try ModelCoding.value(interface)
        if let tags { body["tags"] = tags }
        try await cloud.resources.put(StoredResource(id: id, body: body, hidden: existing?.hidden ?? .null))
        let operation = try await cloud.operations.completed(request, location: location, result: nil)
        return cloud.operations.accepted(
            operation,
            request: request,
            status: existing == nil ? .created : .ok,
            body: renderInterface(body, cloud: cloud),
            headers: .asyncOperation
        )
    }

    /// The NIC body with `virtualMachine` filled in from the VM using it.
    func renderInterface(_ body: AzureJSON, cloud: CloudServices) -> AzureJSON {
        var body = body
        if let id = body["id"]?.stringValue, let vm = Self.virtualMachine(using: id, cloud: cloud) {
            body["properties"]?["virtualMachine"] = ["id": .string(vm)]
        }
        return body
    }

    /// The ID of the VM whose network profile names the NIC `id`.
    static func virtualMachine(using id: String, cloud: CloudServices) -> String? {
        let lowered = id.lowercased()
        return ProviderSupport.allResources(ofType: VirtualMachine.resourceType, cloud: cloud).first { vm in
            (vm.body["properties"]?["networkProfile"]?["networkInterfaces"]?.arrayValue ?? []).contains {
                $0["id"]?.stringValue?.lowercased() == lowered
            }
        }?.id
    }

    private func usedAddresses(cloud: CloudServices, except id: String) -> Set<String> {
        var used: Set<String> = []
        for nic in ProviderSupport.allResources(ofType: NetworkInterface.resourceType, cloud: cloud)
        where nic.id.lowercased() != id.lowercased() {
            for configuration in nic.body["properties"]?["ipConfigurations"]?.arrayValue ?? [] {
                if let address = configuration["properties"]?["privateIPAddress"]?.stringValue { used.insert(address) }
            }
        }
        return used
    }

    /// A random locally administered MAC address in Azure's dashed form.
    static func macAddress() -> String {
        let bytes = [UInt8(0x02)] + (0..<5).map { _ in UInt8.random(in: 0...255) }
        return bytes.map { String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined(separator: "-")
    }
}
