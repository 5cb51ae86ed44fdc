import AzureKit
import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

@Suite struct RestartHTTPTests {
    @Test func vmsDisksAndPrivateEndpointsSurviveARestart() async throws {
        let first = try await ComputeTestCloud.start()
        let folder = first.folder
        let image = folder.path + "/image.raw"
        let content = Data((0..<(3 * 4096)).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) })
        try content.write(to: URL(fileURLWithPath: image))
        var address = ""
        var sas = ""
        let diskId = first.id("rg", "Microsoft.Compute/disks", "imported")
        let accessId = first.id("rg", "Microsoft.Compute/diskAccesses", "da")
        do {
            try await first.group("rg")
            let subnet = try await first.network("rg", "vnet")
            _ = try await first.arm(.PUT, accessId, body: ["location": "westeurope"])
            let created = try await first.arm(
                .PUT,
                diskId,
                body: [
                    "location": "westeurope",
                    "properties": [
                        "creationData": ["createOption": "Empty"], "diskSizeGB": 1,
                        "networkAccessPolicy": "AllowPrivate", "diskAccessId": .string(accessId),
                    ],
                ]
            )
            #expect(created.status == 202)
            let written = try await GuestDiskIO(cloud: first.cloud.services).importImage(
                disk: "imported",
                file: URL(fileURLWithPath: image)
            )
            #expect(written == Int64(content.count))
            let endpoint = try await first.privateEndpoint(
                "rg",
                "pe",
                subnet: subnet,
                target: accessId,
                groupId: "disks"
            )
            address = endpoint.json?["properties"]?["customDnsConfigs"]?[0]?["ipAddresses"]?[0]?.stringValue ?? ""
            let begin = try await first.arm(
                .POST,
                diskId + "/beginGetAccess",
                body: ["access": "Read", "durationInSeconds": 600]
            )
            sas = try await first.finish(begin).json?["accessSAS"]?.stringValue ?? ""
        } catch {
            await first.stop()
            throw error
        }
        await first.stop(keepingData: true)

        let second = try await ComputeTestCloud.start(in: folder)
        do {
            let port = try #require(second.cloud.port)
            let restarted = sas.replacingOccurrences(of: "127.0.0.1", with: address)
                .replacingOccurrences(of: #":\d+/"#, with: ":\(port)/", options: .regularExpression)
            let read = try await second.send(.GET, url: restarted, headers: ["x-ms-range": "bytes=0-12287"])
            #expect(read.status == 206)
            #expect(read.body == content)
            let list = try await second.send(.GET, url: restarted + "&comp=pagelist")
            #expect(list.text.contains("<PageRange><Start>0</Start><End>12287</End></PageRange>"))
            #expect(try await second.arm(.GET, diskId).json?["properties"]?["diskState"] == "ActiveSAS")
        } catch {
            await second.stop()
            throw error
        }
        await second.stop()
    }

    @Test func shutdownEndsVMProcessesAndARestartKeepsTheVM() async throws {
        let first = try await ComputeTestCloud.start()
        let folder = first.folder
        let vmId = first.id("rg", "Microsoft.Compute/virtualMachines", "vm")
        var root = ""
        do {
            try await first.group("rg")
            let subnet = try await first.network("rg", "vnet")
            let nic = first.id("rg", "Microsoft.Network/networkInterfaces", "nic")
            _ = try await first.arm(
                .PUT,
                nic,
                body: [
                    "location": "westeurope",
                    "properties": [
                        "ipConfigurations": [["name": "ip", "properties": ["subnet": ["id": .string(subnet)]]]]
                    ],
                ],
                apiVersion: "2024-05-01"
            )
            let created = try await first.arm(
                .PUT,
                vmId,
                body: [
                    "location": "westeurope",
                    "properties": [
                        "storageProfile": [
                            "imageReference": [
                                "publisher": "Canonical", "offer": "0001-com-ubuntu-server-jammy",
                                "sku": "22_04-lts-gen2", "version": "latest",
                            ]
                        ],
                        "networkProfile": ["networkInterfaces": [["id": .string(nic)]]],
                    ],
                ],
                apiVersion: "2024-07-01"
            )
            #expect(created.status == 201)
            let run = try await first.arm(
                .POST,
                vmId + "/runCommand",
                body: ["commandId": "RunShellScript", "script": ["sleep 300 > /dev/null 2>&1 &"]],
                apiVersion: "2024-07-01"
            )
            _ = try await first.finish(run)
            root = first.cloud.services.resources.get(vmId)?.hidden["root"]?.stringValue ?? ""
            #expect(!(try VirtualMachineRuntime(rootDirectory: root).guestProcessIDs().isEmpty))
        } catch {
            await first.stop()
            throw error
        }
        await first.stop(keepingData: true)
        #expect(try VirtualMachineRuntime(rootDirectory: root).guestProcessIDs().isEmpty)

        let second = try await ComputeTestCloud.start(in: folder)
        do {
            let view = try await second.arm(.GET, vmId + "/instanceView", apiVersion: "2024-07-01")
            #expect(view.json?["statuses"]?[1]?["code"] == "PowerState/running")
            let run = try await second.arm(
                .POST,
                vmId + "/runCommand",
                body: ["commandId": "RunShellScript", "script": ["echo back"]],
                apiVersion: "2024-07-01"
            )
            #expect(try await second.finish(run).json?["value"]?[0]?["message"]?.stringValue?.contains("back") == true)
        } catch {
            await second.stop()
            throw error
        }
        await second.stop()
    }
}
