import AzureKit
import Foundation
import LocalCloud
import NIOCore
import Testing

/// Networks, a VM with Run Command and power states, and a private endpoint to a storage account whose
/// public access is off, against LocalCloud.
@Suite struct ComputeNetworkIntegrationTests {
    @Test func virtualMachineLifecycleAndRunCommand() async throws {
        try await LocalCloudHarness.with { cloud in
            let arm = cloud.arm
            let group = "rg-vm"
            try await arm.createResourceGroup(group, location: cloud.region, logger: testLogger)
            let network = try await arm.createVirtualNetwork(
                resourceGroup: group,
                name: "vnet1",
                network: VirtualNetwork(
                    location: cloud.region,
                    properties: VirtualNetworkProperties(
                        addressPrefixes: ["10.20.0.0/16"],
                        subnets: [
                            Subnet(
                                name: "workers",
                                properties: SubnetProperties(
                                    addressPrefix: "10.20.1.0/24",
                                    defaultOutboundAccess: false
                                )
                            )
                        ]
                    )
                ),
                logger: testLogger
            )
            #expect(network.properties?.provisioningState == "Succeeded")
            let subnet = try #require(
                try await arm.subnet(resourceGroup: group, virtualNetwork: "vnet1", name: "workers", logger: testLogger)
            )
            let subnetID = try #require(subnet.id)
            let nic = try await arm.createNetworkInterface(
                resourceGroup: group,
                name: "nic1",
                location: cloud.region,
                subnetID: subnetID,
                logger: testLogger
            )
            let nicID = try #require(nic.id)

            let properties = VirtualMachineProperties.linux(
                vmSize: "Standard_D2s_v5",
                computerName: "worker-01",
                adminUsername: "azureuser",
                sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRlc3Qta2V5LW5vdC11c2Vk test",
                networkInterfaceID: nicID
            )
            let vm = try await arm.createVirtualMachine(
                resourceGroup: group,
                name: "vm1",
                vm: VirtualMachine(location: cloud.region, properties: properties),
                logger: testLogger
            )
            #expect(vm.properties?.provisioningState == "Succeeded")
            #expect(
                try await arm.virtualMachineInstanceView(resourceGroup: group, name: "vm1", logger: testLogger)
                    .powerState == "running"
            )

            let result = try await arm.runCommand(
                resourceGroup: group,
                name: "vm1",
                input: RunCommandInput(
                    script: ["echo \"hello $GREETING\""],
                    parameters: [RunCommandParameter(name: "GREETING", value: "nimbus")]
                ),
                logger: testLogger
            )
            #expect(result.output.contains("hello nimbus"))

            try await arm.deallocateVirtualMachine(resourceGroup: group, name: "vm1", logger: testLogger)
            let expanded = try await arm.virtualMachine(
                resourceGroup: group,
                name: "vm1",
                expandInstanceView: true,
                logger: testLogger
            )
            #expect(expanded?.properties?.instanceView?.powerState == "deallocated")
            let refused = await #expect(throws: AzureError.self) {
                _ = try await arm.runCommand(
                    resourceGroup: group,
                    name: "vm1",
                    input: RunCommandInput(script: ["true"]),
                    logger: testLogger
                )
            }
            #expect(refused?.status == 409)
            try await arm.startVirtualMachine(resourceGroup: group, name: "vm1", logger: testLogger)
            #expect(
                try await arm.virtualMachineInstanceView(resourceGroup: group, name: "vm1", logger: testLogger)
                    .powerState == "running"
            )
            #expect(
                try await arm.listVirtualMachines(resourceGroup: group, logger: testLogger).collect().compactMap(\.name)
                    == ["vm1"]
            )
            try await arm.deleteVirtualMachine(resourceGroup: group, name: "vm1", logger: testLogger)
            #expect(try await arm.virtualMachine(resourceGroup: group, name: "vm1", logger: testLogger) == nil)
        }
    }

    @Test func privateEndpointReachesAccountWithPublicAccessDisabled() async throws {
        try await LocalCloudHarness.with { cloud in
            let arm = cloud.arm
            let group = "rg-pe"
            let credential = try await cloud.storageAccount(
                resourceGroup: group,
                name: "nimbuspriv1",
                logger: testLogger
            )
            let account = try #require(
                try await arm.storageAccount(resourceGroup: group, name: "nimbuspriv1", logger: testLogger)
            )
            try await arm.updateStorageAccount(
                resourceGroup: group,
                name: "nimbuspriv1",
                properties: StorageAccountProperties(
                    publicNetworkAccess: "Disabled",
                    allowBlobPublicAccess: nil,
                    minimumTlsVersion: nil,
                    supportsHttpsTrafficOnly: nil
                ),
                logger: testLogger
            )
            try await arm.createVirtualNetwork(
                resourceGroup: group,
                name: "vnet1",
                network: VirtualNetwork(
                    location: cloud.region,
                    properties: VirtualNetworkProperties(
                        addressPrefixes: ["10.30.0.0/16"],
                        subnets: [
                            Subnet(
                                name: "endpoints",
                                properties: SubnetProperties(
                                    addressPrefix: "10.30.2.0/24",
                                    privateEndpointNetworkPolicies: "Disabled"
                                )
                            )
                        ]
                    )
                ),
                logger: testLogger
            )
            let subnetID = try #require(
                try await arm.subnet(
                    resourceGroup: group,
                    virtualNetwork: "vnet1",
                    name: "endpoints",
                    logger: testLogger
                )?.id
            )
            let endpoint = try await arm.createPrivateEndpoint(
                resourceGroup: group,
                name: "pe-blob",
                location: cloud.region,
                subnetID: subnetID,
                resourceID: try #require(account.id),
                groupIDs: ["blob"],
                logger: testLogger
            )
            let connection = endpoint.properties?.privateLinkServiceConnections?.first?.properties
            #expect(connection?.groupIds == ["blob"])
            #expect(connection?.privateLinkServiceConnectionState?.status == "Approved")
            let dns = try #require(endpoint.properties?.customDnsConfigs?.first)
            #expect(dns.fqdn?.hasPrefix("nimbuspriv1.blob.") == true)
            let address = try #require(dns.ipAddresses?.first)

            // The public path is refused; the private endpoint's address is let through.
            let publicBlobs = try BlobClient(
                client: cloud.client,
                environment: cloud.environment,
                account: "nimbuspriv1",
                authorization: .sharedKey(credential)
            )
            let refused = await #expect(throws: AzureError.self) {
                try await publicBlobs.createContainer("data1", logger: testLogger)
            }
            #expect(refused?.azureCode == "AuthorizationFailure")
            let port = try #require(cloud.environment.resourceManager.port)
            let privateBlobs = BlobClient(
                client: cloud.client,
                endpoint: try #require(URL(string: "https://\(address):\(port)/nimbuspriv1/")),
                authorization: .sharedKey(credential)
            )
            #expect(try await privateBlobs.createContainer("data1", logger: testLogger))
            try await privateBlobs.putBlob(
                container: "data1",
                blob: "b",
                data: ByteBuffer(string: "private"),
                logger: testLogger
            )
            #expect(
                String(buffer: try await privateBlobs.downloadData(container: "data1", blob: "b", logger: testLogger))
                    == "private"
            )
            #expect(
                try await arm.listPrivateEndpoints(resourceGroup: group, logger: testLogger).collect().compactMap(
                    \.name
                ) == ["pe-blob"]
            )
            try await arm.deletePrivateEndpoint(resourceGroup: group, name: "pe-blob", logger: testLogger)
        }
    }
}
