import AzureKit
import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

/// VM creation from existing disks (`createOption: Attach`), as a restore creates a VM from restored disks.
@Suite struct VirtualMachineAttachTests {
    private func nic(_ cloud: ComputeTestCloud, _ name: String, subnet: String) async throws -> String {
        let id = cloud.id("rg", "Microsoft.Network/networkInterfaces", name)
        let reply = try await cloud.arm(
            .PUT,
            id,
            body: [
                "location": "westeurope",
                "properties": [
                    "ipConfigurations": [["name": "ipconfig1", "properties": ["subnet": ["id": .string(subnet)]]]]
                ],
            ],
            apiVersion: "2024-05-01"
        )
        #expect(reply.status == 201)
        return id
    }

    private func disk(
        _ cloud: ComputeTestCloud,
        _ name: String,
        osType: String? = "Linux",
        location: String = "westeurope"
    ) async throws -> String {
        let id = cloud.id("rg", "Microsoft.Compute/disks", name)
        var properties: AzureJSON = ["creationData": ["createOption": "Empty"], "diskSizeGB": 4]
        if let osType { properties["osType"] = .string(osType) }
        let reply = try await cloud.finish(
            try await cloud.arm(.PUT, id, body: ["location": .string(location), "properties": properties])
        )
        #expect(reply.status == 200, "\(reply.text)")
        return id
    }

    private func vmBody(nic: String, osDisk: AzureJSON, dataDisks: AzureJSON = [], image: AzureJSON? = nil) -> AzureJSON
    {
        var storage: AzureJSON = ["osDisk": osDisk, "dataDisks": dataDisks]
        if let image { storage["imageReference"] = image }
        return [
            "location": "westeurope",
            "properties": [
                "hardwareProfile": ["vmSize": "Standard_D2s_v5"], "storageProfile": storage,
                "networkProfile": ["networkInterfaces": [["id": .string(nic)]]],
            ],
        ]
    }

    private func attachedOS(_ disk: String, osType: String? = nil) -> AzureJSON {
        var body: AzureJSON = ["createOption": "Attach", "managedDisk": ["id": .string(disk)]]
        if let osType { body["osType"] = .string(osType) }
        return body
    }

    private func state(_ cloud: ComputeTestCloud, _ disk: String) async throws -> (String?, String?) {
        let reply = try await cloud.arm(.GET, disk)
        return (reply.json?["managedBy"]?.stringValue, reply.json?["properties"]?["diskState"]?.stringValue)
    }

    @Test func aVMBootsFromAnAttachedOSDiskAndDataDisks() async throws {
        let cloud = try await ComputeTestCloud.start()
        do {
            try await cloud.group("rg")
            let subnet = try await cloud.network("rg", "vnet")
            let nic1 = try await nic(cloud, "nic1", subnet: subnet)
            let osDisk = try await disk(cloud, "restored-os")
            let dataDisk = try await disk(cloud, "restored-data", osType: nil)
            let vm = cloud.id("rg", "Microsoft.Compute/virtualMachines", "restored")
            let created = try await cloud.arm(
                .PUT,
                vm,
                body: vmBody(
                    nic: nic1,
                    osDisk: attachedOS(osDisk),
                    dataDisks: [["lun": 0, "createOption": "Attach", "managedDisk": ["id": .string(dataDisk)]]]
                )
            )
            #expect(created.status == 201, "\(created.text)")
            _ = try await cloud.finish(created)
            let body = try await cloud.arm(.GET, vm).json
            let storage = body?["properties"]?["storageProfile"]
            #expect(storage?["imageReference"] == nil)
            #expect(storage?["osDisk"]?["createOption"]?.stringValue == "Attach")
            #expect(storage?["osDisk"]?["osType"]?.stringValue == "Linux")
            #expect(storage?["osDisk"]?["name"]?.stringValue == "restored-os")
            #expect(storage?["osDisk"]?["diskSizeGB"]?.intValue == 4)
            #expect(storage?["osDisk"]?["managedDisk"]?["id"]?.stringValue?.lowercased() == osDisk.lowercased())
            #expect(storage?["dataDisks"]?[0]?["name"]?.stringValue == "restored-data")
            #expect(body?["properties"]?["provisioningState"]?.stringValue == "Succeeded")
            for id in [osDisk, dataDisk] {
                let (owner, diskState) = try await state(cloud, id)
                #expect(owner?.lowercased() == vm.lowercased())
                #expect(diskState == "Attached")
            }
            let view = try await cloud.arm(.GET, vm, query: "&$expand=instanceView")
            #expect(view.json?["properties"]?["instanceView"]?["disks"]?.arrayValue?.count == 2)

            // Deleting the VM (deleteOption Detach, the default for attached disks) gives the disks back.
            let deleted = try await cloud.finish(try await cloud.arm(.DELETE, vm))
            #expect(deleted.status == 200 || deleted.status == 204)
            for id in [osDisk, dataDisk] {
                let (owner, diskState) = try await state(cloud, id)
                #expect(owner == nil)
                #expect(diskState == "Unattached")
            }
        } catch {
            await cloud.stop()
            throw error
        }
        await cloud.stop()
    }

    @Test func attachingChecksTheDiskAsAzureDoes() async throws {
        let cloud = try await ComputeTestCloud.start()
        do {
            try await cloud.group("rg")
            let subnet = try await cloud.network("rg", "vnet")
            let nic1 = try await nic(cloud, "nic1", subnet: subnet)
            let nic2 = try await nic(cloud, "nic2", subnet: subnet)
            let osDisk = try await disk(cloud, "os1")
            let untyped = try await disk(cloud, "untyped", osType: nil)
            let elsewhere = try await disk(cloud, "far", location: "northeurope")
            let free = try await disk(cloud, "free")
            let first = cloud.id("rg", "Microsoft.Compute/virtualMachines", "first")
            let second = cloud.id("rg", "Microsoft.Compute/virtualMachines", "second")

            let missing = try await cloud.arm(
                .PUT,
                second,
                body: vmBody(nic: nic2, osDisk: attachedOS(cloud.id("rg", "Microsoft.Compute/disks", "nope")))
            )
            #expect(missing.status == 404)
            #expect(missing.json?["error"]?["code"]?.stringValue == "NotFound")

            let noOSType = try await cloud.arm(.PUT, second, body: vmBody(nic: nic2, osDisk: attachedOS(untyped)))
            #expect(noOSType.status == 400)
            #expect(noOSType.json?["error"]?["target"]?.stringValue == "osDisk.osType")
            let typed = try await cloud.arm(
                .PUT,
                cloud.id("rg", "Microsoft.Compute/virtualMachines", "typed"),
                body: vmBody(nic: nic2, osDisk: attachedOS(untyped, osType: "Linux"))
            )
            #expect(typed.status == 201, "\(typed.text)")
            _ = try await cloud.finish(
                try await cloud.arm(.DELETE, cloud.id("rg", "Microsoft.Compute/virtualMachines", "typed"))
            )

            let wrongRegion = try await cloud.arm(.PUT, second, body: vmBody(nic: nic2, osDisk: attachedOS(elsewhere)))
            #expect(wrongRegion.status == 404)

            let withImage = try await cloud.arm(
                .PUT,
                second,
                body: vmBody(nic: nic2, osDisk: attachedOS(free), image: ["publisher": "Canonical"])
            )
            #expect(withImage.status == 400)
            #expect(withImage.json?["error"]?["code"]?.stringValue == "InvalidParameter")

            let taken = try await cloud.arm(.PUT, first, body: vmBody(nic: nic1, osDisk: attachedOS(osDisk)))
            #expect(taken.status == 201)
            let stolen = try await cloud.arm(.PUT, second, body: vmBody(nic: nic2, osDisk: attachedOS(osDisk)))
            #expect(stolen.status == 409)
            #expect(stolen.json?["error"]?["code"]?.stringValue == "OperationNotAllowed")

            // A creation that fails on its data disk gives back the OS disk it had already taken.
            let partial = try await cloud.arm(
                .PUT,
                second,
                body: vmBody(
                    nic: nic2,
                    osDisk: attachedOS(free),
                    dataDisks: [["lun": 0, "createOption": "Attach", "managedDisk": ["id": .string(osDisk)]]]
                )
            )
            #expect(partial.status == 409)
            let (owner, diskState) = try await state(cloud, free)
            #expect(owner == nil)
            #expect(diskState == "Unattached")
            #expect(try await cloud.arm(.GET, second).status == 404)
            let (firstOwner, _) = try await state(cloud, osDisk)
            #expect(firstOwner?.lowercased() == first.lowercased())
        } catch {
            await cloud.stop()
            throw error
        }
        await cloud.stop()
    }
}
