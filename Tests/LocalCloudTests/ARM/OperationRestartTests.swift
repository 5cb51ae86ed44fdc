import AzureKit
import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

/// Long-running operations that are still running when LocalCloud stops: a client polling across the restart gets
/// their final result, and the resources they touch end consistent.
@Suite struct OperationRestartTests {
    /// Holds every LRO of `operation` in progress for an hour (until LocalCloud stops).
    private func holdOperations(_ cloud: ComputeTestCloud, operation: String) throws {
        var rule = FaultRule(kind: .delayLRO, service: "arm", operation: operation)
        rule.latencyMs = 3_600_000
        try cloud.cloud.services.faults.replace(FaultRules(rules: [rule]))
    }

    /// `url` pointed at the restarted cloud's port.
    private func retarget(_ url: String, to cloud: ComputeTestCloud) throws -> String {
        let port = try #require(cloud.cloud.port)
        return url.replacingOccurrences(of: #":\d+/"#, with: ":\(port)/", options: .regularExpression)
    }

    @Test func storageAccountCreationFinishesAfterARestart() async throws {
        let first = try await ComputeTestCloud.start()
        let accountID = first.id("rg", "Microsoft.Storage/storageAccounts", "restartacct")
        var location = ""
        do {
            try await first.group("rg")
            try holdOperations(first, operation: "PUT storageAccounts")
            let created = try await first.arm(
                .PUT,
                accountID,
                body: ["location": "westeurope", "sku": ["name": "Standard_LRS"], "kind": "StorageV2"],
                apiVersion: "2023-05-01"
            )
            #expect(created.status == 202)
            location = try #require(created.header("Location"))
            let running = try await first.send(.GET, url: location, headers: ["Authorization": "Bearer \(first.token)"])
            #expect(running.status == 202)
            let account = try await first.arm(.GET, accountID, apiVersion: "2023-05-01")
            #expect(account.json?["properties"]?["provisioningState"] == "Creating")
        } catch {
            await first.stop()
            throw error
        }
        await first.stop(keepingData: true)
        #expect(FileManager.default.fileExists(atPath: first.folder.path + "/operations"))

        let second = try await ComputeTestCloud.start(in: first.folder)
        do {
            let polled = try await second.finish(
                ComputeTestCloud.Reply(
                    status: 202,
                    headers: ["Location": try retarget(location, to: second)],
                    body: Data()
                )
            )
            #expect(polled.status == 200)
            #expect(polled.json?["properties"]?["provisioningState"] == "Succeeded")
            let account = try await second.arm(.GET, accountID, apiVersion: "2023-05-01")
            #expect(account.json?["properties"]?["provisioningState"] == "Succeeded")
            let keys = try await second.arm(.POST, accountID + "/listKeys", apiVersion: "2023-05-01")
            #expect(keys.json?["keys"]?.arrayValue?.count == 2)
        } catch {
            await second.stop()
            throw error
        }
        await second.stop()
    }

    @Test func resourceGroupDeletionFinishesAfterARestart() async throws {
        let first = try await ComputeTestCloud.start()
        let accountID = first.id("rg", "Microsoft.Storage/storageAccounts", "doomedacct")
        var location = ""
        do {
            try await first.group("rg")
            let created = try await first.arm(
                .PUT,
                accountID,
                body: ["location": "westeurope", "sku": ["name": "Standard_LRS"]],
                apiVersion: "2023-05-01"
            )
            #expect(try await first.finish(created).status == 200)
            try holdOperations(first, operation: "DELETE resourceGroups")
            let deleting = try await first.arm(.DELETE, "/resourceGroups/rg", apiVersion: "2021-04-01")
            #expect(deleting.status == 202)
            location = try #require(deleting.header("Location"))
        } catch {
            await first.stop()
            throw error
        }
        await first.stop(keepingData: true)

        let second = try await ComputeTestCloud.start(in: first.folder)
        do {
            let polled = try await second.finish(
                ComputeTestCloud.Reply(
                    status: 202,
                    headers: ["Location": try retarget(location, to: second)],
                    body: Data()
                )
            )
            #expect(polled.status == 200)
            #expect(try await second.arm(.GET, "/resourceGroups/rg", apiVersion: "2021-04-01").status == 404)
            #expect(second.cloud.services.resources.get(accountID) == nil)
        } catch {
            await second.stop()
            throw error
        }
        await second.stop()
    }

    @Test func powerActionsResumeAndRunCommandsFailCleanlyAfterARestart() async throws {
        let first = try await ComputeTestCloud.start()
        let vmID = first.id("rg", "Microsoft.Compute/virtualMachines", "vm1")
        var deallocation = ""
        var command = ""
        do {
            try await first.group("rg")
            try await makeVirtualMachine(first, id: vmID)
            let run = try await first.arm(
                .POST,
                vmID + "/runCommand",
                body: ["commandId": "RunShellScript", "script": ["sleep 600"]],
                apiVersion: "2024-07-01"
            )
            #expect(run.status == 202)
            command = try #require(run.header("Azure-AsyncOperation"))
            try holdOperations(first, operation: "POST deallocate")
            let deallocate = try await first.arm(.POST, vmID + "/deallocate", apiVersion: "2024-07-01")
            #expect(deallocate.status == 202)
            deallocation = try #require(deallocate.header("Azure-AsyncOperation"))
        } catch {
            await first.stop()
            throw error
        }
        await first.stop(keepingData: true)

        let second = try await ComputeTestCloud.start(in: first.folder)
        do {
            let commandStatus = try await waitForEnd(second, statusURL: try retarget(command, to: second))
            #expect(commandStatus["status"] == "Failed")
            #expect(commandStatus["error"]?["code"] == "InternalServerError")
            #expect(commandStatus["error"]?["message"]?.stringValue?.contains("restarted") == true)
            let deallocated = try await waitForEnd(second, statusURL: try retarget(deallocation, to: second))
            #expect(deallocated["status"] == "Succeeded")
            let view = try await second.arm(.GET, vmID + "/instanceView", apiVersion: "2024-07-01")
            let codes = view.json?["statuses"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? []
            #expect(codes.contains("PowerState/deallocated"))
        } catch {
            await second.stop()
            throw error
        }
        await second.stop()
    }

    /// Polls an `Azure-AsyncOperation` status document until it is no longer `InProgress`.
    private func waitForEnd(_ cloud: ComputeTestCloud, statusURL: String) async throws -> AzureJSON {
        for _ in 0..<1500 {
            let reply = try await cloud.send(.GET, url: statusURL, headers: ["Authorization": "Bearer \(cloud.token)"])
            let document = try #require(reply.json)
            if document["status"] != "InProgress" { return document }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw LocalCloudError(.state, "The operation at \(statusURL) did not end.")
    }

    private func makeVirtualMachine(_ cloud: ComputeTestCloud, id: String) async throws {
        let subnet = try await cloud.network("rg", "vnet")
        let nic = cloud.id("rg", "Microsoft.Network/networkInterfaces", "nic1")
        let nicReply = try await cloud.arm(
            .PUT,
            nic,
            body: [
                "location": "westeurope",
                "properties": [
                    "ipConfigurations": [["name": "ipconfig1", "properties": ["subnet": ["id": .string(subnet)]]]]
                ],
            ],
            apiVersion: "2024-05-01"
        )
        #expect(nicReply.status == 201)
        let body: AzureJSON = [
            "location": "westeurope",
            "properties": [
                "hardwareProfile": ["vmSize": "Standard_D2s_v5"],
                "storageProfile": [
                    "imageReference": [
                        "publisher": "Canonical", "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts-gen2",
                        "version": "latest",
                    ],
                    "osDisk": ["createOption": "FromImage"],
                ],
                "osProfile": ["computerName": "vm1", "adminUsername": "azureuser", "adminPassword": "Pa55-word!"],
                "networkProfile": ["networkInterfaces": [["id": .string(nic)]]],
            ],
        ]
        let created = try await cloud.arm(.PUT, id, body: body, apiVersion: "2024-07-01")
        #expect(created.status == 201)
    }
}
