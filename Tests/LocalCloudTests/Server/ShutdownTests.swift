import AsyncHTTPClient
import AzureKit
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

@testable import LocalCloud

/// Shutting LocalCloud down: idle keep-alive connections do not hold it up, requests in flight get a bounded grace
/// period, and what was written before is there after a restart.
@Suite struct ShutdownTests {
    private func start(_ folder: TemporaryFolder) async throws -> (RunningCloud, Endpoints) {
        let cloud = try LocalCloud(
            configuration: .init(dataDirectory: URL(fileURLWithPath: folder.path, isDirectory: true)),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        let running = try await RunningCloud.start(cloud)
        return (running, running.endpoints)
    }

    @Test func closingAConnectionWaitsBrieflyForTheClientsCloseNotify() throws {
        let folder = try TemporaryFolder("localcloud-shutdown")
        defer { folder.remove() }
        let authority = try TLSAuthority(directory: URL(fileURLWithPath: folder.path, isDirectory: true))
        #expect(try authority.serverConfiguration(for: "127.0.0.1").shutdownTimeout <= .seconds(1))
        #expect(try authority.serverConfiguration(for: "127.64.0.9").shutdownTimeout <= .seconds(1))
    }

    @Test func idleKeepAliveClientsDoNotHoldUpShutdown() async throws {
        let clock = ContinuousClock()
        // What a shutdown costs on this machine right now, with no client: the yardstick for the one below.
        let plainFolder = try TemporaryFolder("localcloud-shutdown")
        defer { plainFolder.remove() }
        let (plain, _) = try await start(plainFolder)
        let plainStarted = clock.now
        await plain.shutdown()
        let baseline = clock.now - plainStarted

        let folder = try TemporaryFolder("localcloud-shutdown")
        defer { folder.remove() }
        let (cloud, endpoints) = try await start(folder)
        var clients: [SilentTLSClient] = []
        do {
            for _ in 0..<6 {
                clients.append(
                    try await SilentTLSClient.connect(
                        port: endpoints.port,
                        caPath: endpoints.caCertificate,
                        path: "/_localcloud/faults"
                    )
                )
            }
        } catch {
            await cloud.shutdown()
            throw error
        }
        let started = clock.now
        await cloud.shutdown()
        let elapsed = clock.now - started
        for client in clients { await client.close() }
        // Each silent connection used to hold shutdown for TLS's default 5-second close_notify wait, one after
        // another (30 s for these six); what is left is the grace period of about a second. Compared with a
        // shutdown without clients measured just before, so that a machine busy with other suites does not count.
        #expect(elapsed - baseline < .seconds(12), "with clients \(elapsed), without \(baseline)")
    }

    @Test func requestsInFlightGetABoundedGracePeriod() async throws {
        let folder = try TemporaryFolder("localcloud-shutdown")
        defer { folder.remove() }
        let (cloud, endpoints) = try await start(folder)
        var rule = FaultRule(kind: .latency, service: "arm")
        rule.latencyMs = 600_000
        rule.remaining = 1
        try await cloud.cloud.services.faults.replace(FaultRules(rules: [rule]))
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(endpoints.caCertificate))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        let settings = cloud.cloud.services.identity.settings
        let token = try cloud.cloud.services.identity.tokens.issue(
            clientID: settings.clientID,
            tenantID: settings.tenantID,
            audience: "https://management.azure.com/"
        ).token
        var request = HTTPClientRequest(
            url: endpoints.resourceManager
                + "subscriptions/\(endpoints.subscriptionId)/providers/Microsoft.Storage/storageAccounts"
                + "?api-version=2023-05-01"
        )
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let held = request
        let inFlight = Task { try await client.execute(held, timeout: .seconds(900)).status }
        // The rule is used up once the request is being held.
        for _ in 0..<6000 where cloud.cloud.services.faults.rules.rules.first?.remaining != 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(cloud.cloud.services.faults.rules.rules.first?.remaining == 0)
        let clock = ContinuousClock()
        let started = clock.now
        await cloud.shutdown()
        let elapsed = clock.now - started
        _ = try? await inFlight.value
        try await client.shutdown()
        // Without a bound, shutdown would wait the ten minutes the held request still had to go.
        #expect(elapsed < .seconds(60))
    }

    @Test func stateWrittenBeforeShutdownIsThereAfterARestart() async throws {
        let folder = try TemporaryFolder("localcloud-shutdown")
        defer { folder.remove() }
        let directory = URL(fileURLWithPath: folder.path, isDirectory: true)
        let accountID = try await TestCloud.with(folder: directory) { test in
            _ = try await test.makeAccount("flushacct")
            let id =
                "/subscriptions/\(test.endpoints.subscriptionId)/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/flushacct"
            return id
        }
        let reopened = try LocalCloud(
            configuration: .init(dataDirectory: directory),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        let account = try #require(reopened.services.resources.get(accountID))
        #expect(account.body["properties"]?["provisioningState"] == "Succeeded")
        #expect(account.hidden["keys"]?.arrayValue?.count == 2)
    }
}
