import AzureKit
import Foundation
import LocalCloud
import Logging
import NIOHTTP1
import Testing

/// A LocalCloud running in process on a temporary folder, with AzureKit clients pointed at it
/// through the `endpoints.json` the emulator writes.
struct LocalCloudHarness: Sendable {
    let cloud: LocalCloud
    let environment: AzureEnvironment
    let endpoints: LocalCloudEndpoints
    let client: AzureClient
    let credential: ClientSecretCredential
    let arm: ARMClient
    /// The retry and polling waits the client asked for (recorded, not slept).
    let sleeper: SleepRecorder

    /// Starts LocalCloud, runs `body`, and stops everything (also on failure).
    static func with<T: Sendable>(_ body: @Sendable (LocalCloudHarness) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appending(path: "azurekit-lc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let quiet = Logger(label: "localcloud", factory: { _ in SwiftLogNoOpLogHandler() })
        var configuration = LocalCloud.Configuration(dataDirectory: folder)
        configuration.retryAfterSeconds = 1
        let cloud = try LocalCloud(configuration: configuration, logger: quiet)
        return try await cloud.withRunning { _ in
            let (environment, endpoints) = try AzureEnvironment.localCloud(
                endpointsFile: folder.appending(path: "endpoints.json")
            )
            let sleeper = SleepRecorder(pace: .milliseconds(5))
            let client = try AzureClient(
                environment: environment,
                retryPolicy: .exponential(base: .milliseconds(50), maxRetries: 3),
                options: .init(requestTimeout: .seconds(30), sleep: sleeper.sleep)
            )
            let credential = ClientSecretCredential(
                tenantID: endpoints.tenantId,
                clientID: endpoints.clientId,
                clientSecret: endpoints.clientSecret,
                authorityHost: environment.authorityHost,
                client: client
            )
            // LRO waits are recorded and paced, not slept in full. The operation budget counts the
            // requested waits (1 s each), so it is made practically endless: a loaded machine may need
            // many polls, and only LocalCloud finishing ends the wait.
            let arm = ARMClient(
                client: client,
                environment: environment,
                credential: credential,
                subscriptionID: endpoints.subscriptionId,
                pollInterval: .milliseconds(20),
                operationTimeout: .seconds(30 * 86_400)
            )
            let harness = LocalCloudHarness(
                cloud: cloud,
                environment: environment,
                endpoints: endpoints,
                client: client,
                credential: credential,
                arm: arm,
                sleeper: sleeper
            )
            do {
                let result = try await body(harness)
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    /// Replaces LocalCloud's fault-injection rules (`PUT /_localcloud/faults`).
    func setFaults(_ json: String) async throws {
        let url = try #require(URL(string: environment.resourceManager.absoluteString + "_localcloud/faults"))
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        _ = try await client.executeBuffered(
            AzureHTTPRequest(method: .PUT, url: url, headers: headers, body: AzureHTTPBody(string: json)),
            operation: "localcloud.faults",
            authorizer: nil,
            logger: testLogger
        )
    }

    var region: String { endpoints.regions?.first ?? "westeurope" }

    /// Creates a resource group and a storage account, and returns a Shared Key credential for it.
    func storageAccount(resourceGroup: String, name: String, logger: Logger) async throws -> StorageSharedKeyCredential
    {
        try await arm.createResourceGroup(resourceGroup, location: region, logger: logger)
        _ = try await arm.createStorageAccount(
            resourceGroup: resourceGroup,
            name: name,
            location: region,
            logger: logger
        )
        let keys = try await arm.storageAccountKeys(resourceGroup: resourceGroup, name: name, logger: logger)
        guard let key = keys.first?.value else {
            throw AzureError(.invalidResponse, message: "listKeys of \(name) returned no key.")
        }
        return try StorageSharedKeyCredential(accountName: name, accountKey: key)
    }
}
