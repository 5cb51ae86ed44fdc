import AzureKit
import Foundation
import LocalCloudTesting
import Testing

@testable import Worker

@Suite struct PrivateEndpointTests {
    @Test func networkEnvironmentRoutesPathStyleURLsToTheEndpointAddress() throws {
        let routing = PrivateEndpointRouting(networkEnvironment: [
            "LOCALCLOUD_PRIVATE_ENDPOINTS": "acct1.blob=127.64.0.1,acct1.queue=127.64.0.2,da-1.disks=127.64.0.3"
        ])
        let blob = try routing.route(#require(URL(string: "https://127.0.0.1:8443/acct1/repo/x?sig=s")), service: .blob)
        #expect(blob.absoluteString == "https://127.64.0.1:8443/acct1/repo/x?sig=s")
        let queue = try routing.route(#require(URL(string: "https://127.0.0.1:8443/acct1-queue/jobs")), service: .queue)
        #expect(queue.absoluteString == "https://127.64.0.2:8443/acct1-queue/jobs")
        let missing = #expect(throws: WorkerFailure.self) {
            _ = try routing.route(#require(URL(string: "https://127.0.0.1:8443/other/c")), service: .blob)
        }
        #expect(missing?.failureClass == .permanent)
        #expect(missing?.reason.contains("no private endpoint to the blob service of storage account other") == true)
        // Azure's private DNS resolves the usual names: URLs stay as they are.
        let azure = try #require(URL(string: "https://acct1.blob.core.windows.net/repo"))
        #expect(try PrivateEndpointRouting(.privateDNS).route(azure, service: .blob) == azure)
    }

    @Test func anAccountWithoutPublicAccessIsReachedOnlyThroughItsPrivateEndpoint() async throws {
        try await WorkerCloud.with { cloud in
            let account = try await cloud.account("workerpriv1", publicNetworkAccess: false)
            // A worker whose network has no endpoint to the account refuses to send at all...
            let none = PrivateEndpointRouting(networkEnvironment: ["LOCALCLOUD_PRIVATE_ENDPOINTS": ""])
            let refused = #expect(throws: WorkerFailure.self) {
                _ = try none.route(account.queueEndpoint, service: .queue)
            }
            #expect(refused?.reason.contains("storage account workerpriv1") == true)
            // ...and the public path it must not take is refused by the service, as Azure does.
            let publicQueues = cloud.queues(account)
            let denied = await #expect(throws: AzureError.self) {
                _ = try await publicQueues.createQueue("jobs", logger: WorkerCloud.quiet)
            }
            #expect(denied?.status == 403)
            #expect(denied?.azureCode == "AuthorizationFailure")
            let failure = StorageFailures.failure(
                try #require(denied),
                account: "workerpriv1",
                doing: "creating the queue"
            )
            #expect(failure.failureClass == .permanent)
            #expect(failure.reason.contains("private endpoint"))

            // Through a private endpoint in the worker's network, the same call succeeds.
            let address = try await cloud.privateEndpoint(to: account, service: "queue")
            let routed = PrivateEndpointRouting(networkEnvironment: [
                "LOCALCLOUD_PRIVATE_ENDPOINTS": "workerpriv1.queue=\(address)"
            ])
            let privateQueues = QueueClient(
                client: cloud.client,
                endpoint: try routed.route(account.queueEndpoint, service: .queue),
                authorization: .sharedKey(account.credential)
            )
            #expect(try await privateQueues.createQueue("jobs", logger: WorkerCloud.quiet))
        }
    }
}
