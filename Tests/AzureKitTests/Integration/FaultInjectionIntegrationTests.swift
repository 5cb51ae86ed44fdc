import AzureKit
import Foundation
import NIOCore
import Testing

/// AzureKit's retry policy against LocalCloud's fault injection: throttling with `Retry-After` and
/// dropped connections.
@Suite struct FaultInjectionIntegrationTests {
    @Test func throttledReadsAndDroppedBlocksAreRetried() async throws {
        try await LocalCloudHarness.with { cloud in
            let credential = try await cloud.storageAccount(
                resourceGroup: "rg-fault",
                name: "nimbusfault1",
                logger: testLogger
            )
            let blobs = try BlobClient(
                client: cloud.client,
                environment: cloud.environment,
                account: "nimbusfault1",
                authorization: .sharedKey(credential)
            )
            try await blobs.createContainer("data", logger: testLogger)
            try await blobs.putBlob(
                container: "data",
                blob: "x",
                data: ByteBuffer(string: "payload"),
                logger: testLogger
            )

            try await cloud.setFaults(
                #"{"rules":[{"service":"blob","account":"nimbusfault1","operation":"GetBlob","kind":"throttle","status":503,"retryAfter":1,"remaining":2}]}"#
            )
            let before = cloud.sleeper.recorded.count
            let read = try await blobs.downloadData(container: "data", blob: "x", logger: testLogger)
            #expect(String(buffer: read) == "payload")
            #expect(Array(cloud.sleeper.recorded.dropFirst(before)) == [.seconds(1), .seconds(1)])

            try await cloud.setFaults(
                #"{"rules":[{"service":"blob","account":"nimbusfault1","operation":"PutBlock","kind":"drop","remaining":1}]}"#
            )
            let large = ByteBuffer(bytes: (0..<(96 * 1024)).map { UInt8(truncatingIfNeeded: $0) })
            try await blobs.upload(
                container: "data",
                blob: "large",
                data: large,
                blockSize: 32 * 1024,
                concurrency: 1,
                logger: testLogger
            )
            #expect(try await blobs.downloadData(container: "data", blob: "large", logger: testLogger) == large)
            try await cloud.setFaults(#"{"rules":[]}"#)
        }
    }
}
