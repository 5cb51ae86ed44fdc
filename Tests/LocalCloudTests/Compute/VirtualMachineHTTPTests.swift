import AzureKit
import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

@Suite struct VirtualMachineHTTPTests {
    private func makeNIC(
        _ cloud: ComputeTestCloud,
        group: String,
        subnet: String,
        name: String,
        location: String = "westeurope"
    )
        async throws -> ComputeTestCloud.Reply
    {
        let body: AzureJSON = [
            "location": .string(location),
            "properties": [
                "ipConfigurations": [["name": "ipconfig1", "properties": ["subnet": ["id": .string(subnet)]]]]
            ],
        ]
        return try await cloud.arm(
            .PUT,
            cloud.id(group, "Microsoft.Network/networkInterfaces", name),
            body: body,
            apiVersion: "2024-05-01"
        )
    }

    private func vmBody(nic: String, location: String = "westeurope", dataDisks: AzureJSON = []) -> AzureJSON {
        [
            "location": .string(location),
            "properties": [
                "hardwareProfile": ["vmSize": "Standard_D2s_v5"],
                "storageProfile": [
                    "imageReference": [
                        "publisher": "Canonical", "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts-gen2",
                        "version": "latest",
                    ],
                    "osDisk": ["createOption": "FromImage", "deleteOption": "Delete"],
                    "dataDisks": dataDisks,
                ],
                "osProfile": ["computerName": "worker", "adminUsername": "azureuser", "adminPassword": "Pa55-word!"],
                "networkProfile": [
                    "networkInterfaces": [["id": .string(nic), "properties": ["deleteOption": "Delete"]]]
                ],
            ],
        ]
    }

    @Test func vmRunsScriptsAndDeallocateEndsItsProcesses() async throws {
        let cloud = try await ComputeTestCloud.start()
        do {
            try await cloud.group("rg")
            let subnet = try await cloud.network("rg", "vnet")
            let nicReply = try await makeNIC(cloud, group: "rg", subnet: subnet, name: "nic1")
            #expect(nicReply.status == 201)
            #expect(
                nicReply.json?["properties"]?["ipConfigurations"]?[0]?["properties"]?["privateIPAddress"] == "10.20.1.4"
            )
            let nic = cloud.id("rg", "Microsoft.Network/networkInterfaces", "nic1")
            let vmId = cloud.id("rg", "Microsoft.Compute/virtualMachines", "vm1")
            let created = try await cloud.arm(
                .PUT,
                vmId,
                body: vmBody(nic: nic, dataDisks: [["lun": 0, "createOption": "Empty", "diskSizeGB": 4]]),
                apiVersion: "2024-07-01"
            )
            #expect(created.status == 201)
            #expect(created.header("Azure-AsyncOperation") != nil)
            #expect(!created.text.contains("Pa55-word!"))
            let view = try await cloud.arm(.GET, vmId + "/instanceView", apiVersion: "2024-07-01")
            let codes = view.json?["statuses"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? []
            #expect(codes == ["ProvisioningState/succeeded", "PowerState/running"])
            let stored = try #require(cloud.cloud.services.resources.get(vmId))
            let attachedDisk = try #require(
                stored.body["properties"]?["storageProfile"]?["dataDisks"]?[0]?["managedDisk"]?["id"]?.stringValue
            )
            let export = try await cloud.arm(
                .POST,
                attachedDisk + "/beginGetAccess",
                body: ["access": "Read", "durationInSeconds": 60]
            )
            #expect(export.status == 409)
            #expect(export.json?["error"]?["code"] == "OperationNotAllowed")
            #expect(
                export.json?["error"]?["message"]?.stringValue?.hasPrefix("Access not permitted because disk") == true
            )

            let run = try await cloud.arm(
                .POST,
                vmId + "/runCommand",
                body: [
                    "commandId": "RunShellScript",
                    "script": ["echo \"hello $NAME\"", "sleep 300 > /dev/null 2>&1 &", "echo done >&2"],
                    "parameters": [["name": "NAME", "value": "world"]],
                ],
                apiVersion: "2024-07-01"
            )
            #expect(run.status == 202)
            let result = try await cloud.finish(run)
            #expect(result.status == 200)
            let status = result.json?["value"]?[0]
            #expect(status?["code"] == "ProvisioningState/succeeded")
            #expect(status?["message"]?.stringValue == "Enable succeeded: \n[stdout]\nhello world\n\n[stderr]\ndone\n")

            let vm = try #require(cloud.cloud.services.resources.get(vmId))
            let root = try #require(vm.hidden["root"]?.stringValue)
            let runtime = try VirtualMachineRuntime(rootDirectory: root)
            #expect(!runtime.guestProcessIDs().isEmpty)

            let deallocate = try await cloud.arm(.POST, vmId + "/deallocate", apiVersion: "2024-07-01")
            #expect(deallocate.status == 202)
            _ = try await cloud.finish(deallocate)
            #expect(runtime.guestProcessIDs().isEmpty)
            let expanded = try await cloud.arm(.GET, vmId, apiVersion: "2024-07-01", query: "&$expand=instanceView")
            let power = expanded.json?["properties"]?["instanceView"]?["statuses"]?[1]?["code"]
            #expect(power == "PowerState/deallocated")
            let refused = try await cloud.arm(
                .POST,
                vmId + "/runCommand",
                body: ["commandId": "RunShellScript", "script": ["true"]],
                apiVersion: "2024-07-01"
            )
            #expect(refused.status == 409)
            #expect(refused.json?["error"]?["code"] == "OperationNotAllowed")

            let osDisk = try #require(
                expanded.json?["properties"]?["storageProfile"]?["osDisk"]?["managedDisk"]?["id"]?.stringValue
            )
            let dataDisk = try #require(
                expanded.json?["properties"]?["storageProfile"]?["dataDisks"]?[0]?["managedDisk"]?["id"]?.stringValue
            )
            let deleted = try await cloud.arm(.DELETE, vmId, apiVersion: "2024-07-01")
            #expect(deleted.status == 202)
            #expect(try await cloud.arm(.GET, vmId, apiVersion: "2024-07-01").status == 404)
            #expect(try await cloud.arm(.GET, osDisk).status == 404)
            let detached = try await cloud.arm(.GET, dataDisk)
            #expect(detached.json?["properties"]?["diskState"] == "Unattached")
            #expect(try await cloud.arm(.GET, nic, apiVersion: "2024-05-01").status == 404)
            #expect(!FileManager.default.fileExists(atPath: root))
        } catch {
            await cloud.stop()
            throw error
        }
        await cloud.stop()
    }

    @Test func regionsAreEnforcedAsAzureDoes() async throws {
        let cloud = try await ComputeTestCloud.start()
        do {
            try await cloud.group("rg")
            let subnet = try await cloud.network("rg", "vnet", location: "westeurope")
            let crossNIC = try await makeNIC(cloud, group: "rg", subnet: subnet, name: "far", location: "eastus")
            #expect(crossNIC.status == 400)
            #expect(crossNIC.json?["error"]?["code"] == "InvalidResourceReference")

            _ = try await makeNIC(cloud, group: "rg", subnet: subnet, name: "nic1")
            let nic = cloud.id("rg", "Microsoft.Network/networkInterfaces", "nic1")
            let diskId = cloud.id("rg", "Microsoft.Compute/disks", "east-disk")
            let disk = try await cloud.arm(
                .PUT,
                diskId,
                body: [
                    "location": "eastus", "properties": ["creationData": ["createOption": "Empty"], "diskSizeGB": 1],
                ]
            )
            #expect(disk.status == 202)
            let vm = try await cloud.arm(
                .PUT,
                cloud.id("rg", "Microsoft.Compute/virtualMachines", "vm1"),
                body: vmBody(
                    nic: nic,
                    dataDisks: [["lun": 0, "createOption": "Attach", "managedDisk": ["id": .string(diskId)]]]
                ),
                apiVersion: "2024-07-01"
            )
            // A disk in another region is not found from the VM's region, as on Azure.
            #expect(vm.status == 404)
            #expect(vm.json?["error"]?["code"] == "NotFound")
            #expect(vm.json?["error"]?["message"] == "The entity was not found in this Azure location.")
            let farVM = try await cloud.arm(
                .PUT,
                cloud.id("rg", "Microsoft.Compute/virtualMachines", "vm2"),
                body: vmBody(nic: nic, location: "eastus"),
                apiVersion: "2024-07-01"
            )
            #expect(farVM.status == 400)
            #expect(farVM.json?["error"]?["code"] == "InvalidResourceReference")

            let snapshot = try await cloud.arm(
                .PUT,
                cloud.id("rg", "Microsoft.Compute/snapshots", "snap"),
                body: [
                    "location": "westeurope",
                    "properties": [
                        "creationData": ["createOption": "Copy", "sourceResourceId": .string(diskId)],
                        "incremental": true,
                    ],
                ]
            )
            #expect(snapshot.status == 404)
            #expect(snapshot.json?["error"]?["code"] == "NotFound")
        } catch {
            await cloud.stop()
            throw error
        }
        await cloud.stop()
    }
}
