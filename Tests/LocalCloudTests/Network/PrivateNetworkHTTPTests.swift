import AzureKit
import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

@Suite struct PrivateNetworkHTTPTests {
    @Test func allowPrivateDiskIsReadableOnlyThroughItsPrivateEndpoint() async throws {
        let cloud = try await ComputeTestCloud.start()
        do {
            try await cloud.group("rg")
            let subnet = try await cloud.network("rg", "workers")
            let accessId = cloud.id("rg", "Microsoft.Compute/diskAccesses", "da")
            #expect(try await cloud.arm(.PUT, accessId, body: ["location": "westeurope"]).status == 202)
            let diskId = cloud.id("rg", "Microsoft.Compute/disks", "secret")
            let disk = try await cloud.arm(
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
            #expect(disk.status == 202)
            let missingAccess = try await cloud.arm(
                .PUT,
                cloud.id("rg", "Microsoft.Compute/disks", "broken"),
                body: [
                    "location": "westeurope",
                    "properties": [
                        "creationData": ["createOption": "Empty"], "diskSizeGB": 1,
                        "networkAccessPolicy": "AllowPrivate",
                    ],
                ]
            )
            #expect(missingAccess.status == 400)

            let begin = try await cloud.arm(
                .POST,
                diskId + "/beginGetAccess",
                body: ["access": "Read", "durationInSeconds": 600]
            )
            let sas = try #require(try await cloud.finish(begin).json?["accessSAS"]?.stringValue)
            let publicTry = try await cloud.send(.GET, url: sas, headers: ["x-ms-range": "bytes=0-511"])
            #expect(publicTry.status == 403)
            #expect(publicTry.header("x-ms-error-code") == "AuthorizationFailure")

            let endpointId = cloud.id("rg", "Microsoft.Network/privateEndpoints", "pe-disks")
            let endpoint = try await cloud.privateEndpoint(
                "rg",
                "pe-disks",
                subnet: subnet,
                target: accessId,
                groupId: "disks"
            )
            #expect(endpoint.status == 201)
            let address = try #require(
                endpoint.json?["properties"]?["customDnsConfigs"]?[0]?["ipAddresses"]?[0]?.stringValue
            )
            #expect(address.hasPrefix("127.") && address != "127.0.0.1")
            let status = endpoint.json?["properties"]?["privateLinkServiceConnections"]?[0]?["properties"]?[
                "privateLinkServiceConnectionState"
            ]?["status"]
            #expect(status == "Approved")
            let nicId = try #require(endpoint.json?["properties"]?["networkInterfaces"]?[0]?["id"]?.stringValue)
            let nic = try await cloud.arm(.GET, nicId, apiVersion: "2024-05-01")
            #expect(
                nic.json?["properties"]?["ipConfigurations"]?[0]?["properties"]?["privateIPAddress"]?.stringValue
                    == address
            )
            let access = try await cloud.arm(.GET, accessId)
            #expect(access.json?["properties"]?["privateEndpointConnections"]?.arrayValue?.count == 1)

            let privateURL = sas.replacingOccurrences(of: "127.0.0.1", with: address)
            let privateTry = try await cloud.send(.GET, url: privateURL, headers: ["x-ms-range": "bytes=0-511"])
            #expect(privateTry.status == 206)
            let denied = try await cloud.arm(.PATCH, diskId, body: ["properties": ["networkAccessPolicy": "DenyAll"]])
            #expect(denied.status == 202 || denied.status == 200)
            #expect(try await cloud.send(.GET, url: privateURL, headers: ["x-ms-range": "bytes=0-511"]).status == 403)

            let nicBody: AzureJSON = [
                "location": "westeurope",
                "properties": [
                    "ipConfigurations": [["name": "ipconfig1", "properties": ["subnet": ["id": .string(subnet)]]]]
                ],
            ]
            let vmNic = cloud.id("rg", "Microsoft.Network/networkInterfaces", "vm-nic")
            _ = try await cloud.arm(.PUT, vmNic, body: nicBody, apiVersion: "2024-05-01")
            let vmId = cloud.id("rg", "Microsoft.Compute/virtualMachines", "worker")
            let vm = try await cloud.arm(
                .PUT,
                vmId,
                body: [
                    "location": "westeurope",
                    "properties": [
                        "storageProfile": [
                            "imageReference": [
                                "publisher": "Canonical", "offer": "0001-com-ubuntu-server-jammy",
                                "sku": "22_04-lts-gen2",
                                "version": "latest",
                            ]
                        ],
                        "networkProfile": ["networkInterfaces": [["id": .string(vmNic)]]],
                    ],
                ],
                apiVersion: "2024-07-01"
            )
            #expect(vm.status == 201)
            let allowed = try await cloud.arm(
                .PATCH,
                diskId,
                body: ["properties": ["networkAccessPolicy": "AllowPrivate", "diskAccessId": .string(accessId)]]
            )
            #expect(allowed.status == 202 || allowed.status == 200)
            let fetch = try await cloud.arm(
                .POST,
                vmId + "/runCommand",
                body: [
                    "commandId": "RunShellScript",
                    "script": ["curl -sS -o /dev/null -w 'status=%{http_code}' -H 'x-ms-range: bytes=0-511' \"$URL\""],
                    "parameters": [["name": "URL", "value": .string(privateURL)]],
                ],
                apiVersion: "2024-07-01"
            )
            let fetched = try await cloud.finish(fetch).json?["value"]?[0]?["message"]?.stringValue ?? ""
            #expect(fetched.contains("status=206"))
            let run = try await cloud.arm(
                .POST,
                vmId + "/runCommand",
                body: [
                    "commandId": "RunShellScript", "script": ["echo \"$LOCALCLOUD_PE_DA_DISKS\"", "cat etc/hosts"],
                ],
                apiVersion: "2024-07-01"
            )
            let message = try await cloud.finish(run).json?["value"]?[0]?["message"]?.stringValue ?? ""
            #expect(message.contains("\n\(address)\n"))
            #expect(message.contains("\(address) da.privatelink.blob.core.windows.net"))

            #expect(try await cloud.arm(.DELETE, endpointId, apiVersion: "2024-05-01").status == 202)
            #expect(try await cloud.arm(.GET, nicId, apiVersion: "2024-05-01").status == 404)
            let again = try await cloud.arm(
                .POST,
                vmId + "/runCommand",
                body: ["commandId": "RunShellScript", "script": ["echo \"[$LOCALCLOUD_PRIVATE_ENDPOINTS]\""]],
                apiVersion: "2024-07-01"
            )
            #expect(try await cloud.finish(again).json?["value"]?[0]?["message"]?.stringValue?.contains("[]") == true)
            _ = try await cloud.finish(try await cloud.arm(.POST, vmId + "/deallocate", apiVersion: "2024-07-01"))
        } catch {
            await cloud.stop()
            throw error
        }
        await cloud.stop()
    }

    @Test func storageAccountWithPublicAccessDisabledNeedsItsPrivateEndpoint() async throws {
        let cloud = try await ComputeTestCloud.start()
        do {
            try await cloud.group("rg")
            let subnet = try await cloud.network("rg", "workers")
            let accountId = cloud.id("rg", "Microsoft.Storage/storageAccounts", "nimbusprivate")
            let created = try await cloud.arm(
                .PUT,
                accountId,
                body: [
                    "location": "westeurope", "kind": "StorageV2", "sku": ["name": "Standard_LRS"],
                    "properties": ["publicNetworkAccess": "Disabled"],
                ],
                apiVersion: "2023-05-01"
            )
            _ = try await cloud.finish(created)
            let endpoint = try await cloud.privateEndpoint(
                "rg",
                "pe-blob",
                subnet: subnet,
                target: accountId,
                groupId: "blob"
            )
            #expect(endpoint.status == 201)
            let address = try #require(
                endpoint.json?["properties"]?["customDnsConfigs"]?[0]?["ipAddresses"]?[0]?.stringValue
            )
            #expect(
                endpoint.json?["properties"]?["customDnsConfigs"]?[0]?["fqdn"] == "nimbusprivate.blob.core.windows.net"
            )
            let publicURL = "\(cloud.base)/nimbusprivate/?comp=list"
            let publicTry = try await cloud.send(.GET, url: publicURL, headers: ["x-ms-version": "2021-12-02"])
            #expect(publicTry.status == 403)
            #expect(publicTry.header("x-ms-error-code") == "AuthorizationFailure")
            let privateTry = try await cloud.send(
                .GET,
                url: publicURL.replacingOccurrences(of: "127.0.0.1", with: address),
                headers: ["x-ms-version": "2021-12-02"]
            )
            #expect(privateTry.header("x-ms-error-code") != "AuthorizationFailure")
        } catch {
            await cloud.stop()
            throw error
        }
        await cloud.stop()
    }
}
