import AzureKit
import Foundation
import NIOCore
import Testing

/// AzureKit against a LocalCloud started in process: tokens, resource groups, storage accounts,
/// Blob and Queue round trips over HTTPS with LocalCloud's own CA.
@Suite struct LocalCloudIntegrationTests {
    @Test func tokensResourceGroupAndStorageAccount() async throws {
        try await LocalCloudHarness.with { cloud in
            let token = try await cloud.credential.token(
                scope: cloud.environment.resourceManagerScope,
                logger: testLogger
            )
            #expect(!token.token.isEmpty)
            #expect(token.expiresOn > Date())
            try await cloud.arm.createResourceGroup(
                "rg-int",
                location: cloud.region,
                tags: ["purpose": "test"],
                logger: testLogger
            )
            let group = try await cloud.arm.resourceGroup("rg-int", logger: testLogger)
            #expect(group?.tags?["purpose"] == "test")
            let groups = try await cloud.arm.listResourceGroups(logger: testLogger).collect().compactMap(\.name)
            #expect(groups.contains("rg-int"))
            #expect(try await cloud.arm.resourceGroup("rg-missing", logger: testLogger) == nil)

            let account = try await cloud.arm.createStorageAccount(
                resourceGroup: "rg-int",
                name: "nimbusint1",
                location: cloud.region,
                tags: ["appliance": "a1"],
                properties: StorageAccountProperties(publicNetworkAccess: "Enabled", allowSharedKeyAccess: true),
                logger: testLogger
            )
            #expect(account.properties?.provisioningState == "Succeeded")
            #expect(account.properties?.primaryEndpoints?["blob"]?.contains("/nimbusint1/") == true)
            let updated = try await cloud.arm.updateStorageAccount(
                resourceGroup: "rg-int",
                name: "nimbusint1",
                properties: StorageAccountProperties(
                    publicNetworkAccess: "Disabled",
                    allowBlobPublicAccess: nil,
                    minimumTlsVersion: nil,
                    supportsHttpsTrafficOnly: nil
                ),
                logger: testLogger
            )
            #expect(updated.properties?.publicNetworkAccess == "Disabled")
            let keys = try await cloud.arm.storageAccountKeys(
                resourceGroup: "rg-int",
                name: "nimbusint1",
                logger: testLogger
            )
            #expect(keys.count == 2)

            // Public access is now off: the data plane refuses with Azure's AuthorizationFailure.
            let credential = try StorageSharedKeyCredential(accountName: "nimbusint1", accountKey: keys[0].value)
            let blobs = try BlobClient(
                client: cloud.client,
                environment: cloud.environment,
                account: "nimbusint1",
                authorization: .sharedKey(credential)
            )
            let error = await #expect(throws: AzureError.self) {
                try await blobs.createContainer("c1", logger: testLogger)
            }
            #expect(error?.status == 403)
            #expect(error?.azureCode == "AuthorizationFailure")

            try await cloud.arm.deleteStorageAccount(resourceGroup: "rg-int", name: "nimbusint1", logger: testLogger)
            #expect(
                try await cloud.arm.storageAccount(resourceGroup: "rg-int", name: "nimbusint1", logger: testLogger)
                    == nil
            )
            try await cloud.arm.deleteResourceGroup("rg-int", logger: testLogger)
            #expect(try await cloud.arm.resourceGroup("rg-int", logger: testLogger) == nil)
        }
    }

    @Test func blockBlobRoundTrips() async throws {
        try await LocalCloudHarness.with { cloud in
            let credential = try await cloud.storageAccount(
                resourceGroup: "rg-blob",
                name: "nimbusblob1",
                logger: testLogger
            )
            let blobs = try BlobClient(
                client: cloud.client,
                environment: cloud.environment,
                account: "nimbusblob1",
                authorization: .sharedKey(credential)
            )
            #expect(try await blobs.createContainer("repo", logger: testLogger) == true)
            #expect(try await blobs.createContainer("repo", logger: testLogger) == false)
            #expect(try await blobs.listContainers(logger: testLogger).collect().contains("repo"))

            let small = ByteBuffer(string: "hello, blob")
            try await blobs.putBlob(container: "repo", blob: "dir/small.txt", data: small, logger: testLogger)
            let whole = try await blobs.downloadData(container: "repo", blob: "dir/small.txt", logger: testLogger)
            #expect(String(buffer: whole) == "hello, blob")
            let part = try await blobs.downloadData(
                container: "repo",
                blob: "dir/small.txt",
                range: PageRange(start: 7, end: 10),
                logger: testLogger
            )
            #expect(String(buffer: part) == "blob")
            let createOnly = await #expect(throws: AzureError.self) {
                try await blobs.putBlob(
                    container: "repo",
                    blob: "dir/small.txt",
                    data: small,
                    options: BlobUploadOptions(createOnly: true),
                    logger: testLogger
                )
            }
            #expect(createOnly?.azureCode == "BlobAlreadyExists")

            // Shared Key lists x-ms- headers in the service's culture-aware order, where byte order differs:
            // `i_` before `i0`, `ab` before `a-c`. Signer and verifier must agree on it.
            let awkward = ["i_": "1", "i0": "2", "ab": "3", "a-c": "4"]
            try await blobs.putBlob(
                container: "repo",
                blob: "dir/metadata.txt",
                data: small,
                options: BlobUploadOptions(metadata: awkward),
                logger: testLogger
            )
            let tagged = try await blobs.properties(container: "repo", blob: "dir/metadata.txt", logger: testLogger)
            #expect(tagged.metadata == awkward)

            let large = ByteBuffer(bytes: (0..<(300 * 1024 + 17)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            try await blobs.upload(
                container: "repo",
                blob: "dir/large.bin",
                data: large,
                blockSize: 64 * 1024,
                concurrency: 3,
                logger: testLogger
            )
            let readBack = try await blobs.downloadData(container: "repo", blob: "dir/large.bin", logger: testLogger)
            #expect(readBack == large)
            let properties = try await blobs.properties(container: "repo", blob: "dir/large.bin", logger: testLogger)
            #expect(properties.contentLength == Int64(large.readableBytes))
            #expect(properties.blobType == .blockBlob)
            // The block upload stored the whole blob's MD5, so a whole read is verified against it,
            // and a ranged read reports it as the blob's (not the range's) MD5.
            #expect(properties.contentMD5 == BlobClient.md5Base64(large))
            let wholeRead = try await blobs.download(container: "repo", blob: "dir/large.bin", logger: testLogger)
            #expect(wholeRead.contentMD5 == BlobClient.md5Base64(large))
            _ = try await wholeRead.collect(upTo: 1 << 20)
            let rangedRead = try await blobs.download(
                container: "repo",
                blob: "dir/large.bin",
                range: PageRange(start: 0, end: 1023),
                logger: testLogger
            )
            #expect(rangedRead.properties.contentMD5 == BlobClient.md5Base64(large))
            #expect(rangedRead.contentMD5 == BlobClient.md5Base64(large.getSlice(at: 0, length: 1024) ?? ByteBuffer()))
            _ = try await rangedRead.collect(upTo: 1 << 20)

            for index in 0..<5 {
                try await blobs.putBlob(
                    container: "repo",
                    blob: "paged/\(index)",
                    data: ByteBuffer(string: "\(index)"),
                    logger: testLogger
                )
            }
            let paged = try await blobs.listBlobs(container: "repo", prefix: "paged/", pageSize: 2, logger: testLogger)
                .collect()
            #expect(paged.map(\.name) == (0..<5).map { "paged/\($0)" })
            let grouped = try await blobs.listBlobsPage(container: "repo", delimiter: "/", logger: testLogger)
            #expect(Set(grouped.prefixes) == ["dir/", "paged/"])

            #expect(try await blobs.setTier(container: "repo", blob: "dir/small.txt", tier: .cool, logger: testLogger))
            #expect(
                try await blobs.properties(container: "repo", blob: "dir/small.txt", logger: testLogger).accessTier
                    == .cool
            )

            // A container SAS reaches the same data.
            var sas = BlobSASBuilder(
                container: "repo",
                permissions: [.read, .list],
                expiresOn: Date().addingTimeInterval(3600)
            )
            sas.startsOn = Date().addingTimeInterval(-300)
            let query = sas.sign(with: credential)
            let sasURL = try SASURL(string: blobs.url(container: "repo").absoluteString + "?" + query.encoded)
            let viaSAS = try BlobClient(client: cloud.client, sasURL: sasURL)
            #expect(
                String(
                    buffer: try await viaSAS.downloadData(container: "repo", blob: "dir/small.txt", logger: testLogger)
                ) == "hello, blob"
            )
            let denied = await #expect(throws: AzureError.self) {
                try await viaSAS.putBlob(container: "repo", blob: "x", data: small, logger: testLogger)
            }
            #expect(denied?.status == 403)

            #expect(try await blobs.deleteBlob(container: "repo", blob: "dir/small.txt", logger: testLogger))
            #expect(try await blobs.deleteBlob(container: "repo", blob: "dir/small.txt", logger: testLogger) == false)
            #expect(try await blobs.deleteContainer("repo", logger: testLogger))
        }
    }

    @Test func pageBlobDiffAgainstPreviousSnapshot() async throws {
        try await LocalCloudHarness.with { cloud in
            let credential = try await cloud.storageAccount(
                resourceGroup: "rg-page",
                name: "nimbuspage1",
                logger: testLogger
            )
            let blobs = try BlobClient(
                client: cloud.client,
                environment: cloud.environment,
                account: "nimbuspage1",
                authorization: .sharedKey(credential)
            )
            try await blobs.createContainer("disks", logger: testLogger)
            try await blobs.createPageBlob(container: "disks", blob: "d.vhd", size: 64 * 1024, logger: testLogger)
            let ones = ByteBuffer(bytes: [UInt8](repeating: 1, count: 4096))
            try await blobs.putPages(container: "disks", blob: "d.vhd", offset: 0, data: ones, logger: testLogger)
            try await blobs.putPages(container: "disks", blob: "d.vhd", offset: 8192, data: ones, logger: testLogger)
            let first = try await blobs.createSnapshot(container: "disks", blob: "d.vhd", logger: testLogger)
            let full = try await blobs.pageRanges(
                container: "disks",
                blob: "d.vhd",
                snapshot: first,
                logger: testLogger
            ).collect()
            #expect(full == [.data(PageRange(start: 0, end: 4095)), .data(PageRange(start: 8192, end: 12287))])

            try await blobs.putPages(
                container: "disks",
                blob: "d.vhd",
                offset: 16384,
                data: ByteBuffer(bytes: [UInt8](repeating: 2, count: 512)),
                logger: testLogger
            )
            try await blobs.clearPages(
                container: "disks",
                blob: "d.vhd",
                offset: 8192,
                length: 4096,
                logger: testLogger
            )
            let second = try await blobs.createSnapshot(container: "disks", blob: "d.vhd", logger: testLogger)
            let diff = try await blobs.pageRanges(
                container: "disks",
                blob: "d.vhd",
                snapshot: second,
                previous: .snapshot(first),
                pageSize: 1,
                logger: testLogger
            ).collect()
            #expect(diff == [.cleared(PageRange(start: 8192, end: 12287)), .data(PageRange(start: 16384, end: 16895))])
            let changed = try await blobs.downloadData(
                container: "disks",
                blob: "d.vhd",
                range: PageRange(start: 16384, end: 16895),
                snapshot: second,
                logger: testLogger
            )
            #expect(Array(changed.readableBytesView) == [UInt8](repeating: 2, count: 512))
            let misaligned = await #expect(throws: AzureError.self) {
                try await blobs.downloadData(
                    container: "disks",
                    blob: "d.vhd",
                    range: PageRange(start: 70_000, end: 70_100),
                    logger: testLogger
                )
            }
            #expect(misaligned?.status == 416)
        }
    }

    @Test func queueRoundTrip() async throws {
        try await LocalCloudHarness.with { cloud in
            let credential = try await cloud.storageAccount(
                resourceGroup: "rg-queue",
                name: "nimbusqueue1",
                logger: testLogger
            )
            let queues = try QueueClient(
                client: cloud.client,
                environment: cloud.environment,
                account: "nimbusqueue1",
                authorization: .sharedKey(credential)
            )
            #expect(try await queues.createQueue("jobs", logger: testLogger))
            #expect(try await queues.createQueue("jobs", logger: testLogger) == false)
            try await queues.putMessage(
                queue: "jobs",
                text: #"{"job":"a&b"}"#,
                timeToLive: QueueClient.infiniteTimeToLive,
                logger: testLogger
            )
            try await queues.putMessage(queue: "jobs", text: "second", logger: testLogger)
            let bytes = [UInt8](repeating: 0xFE, count: QueueClient.maxBase64MessageBytes)
            try await queues.putMessage(queue: "jobs", data: bytes, logger: testLogger)
            let peeked = try await queues.peekMessages(queue: "jobs", count: 32, logger: testLogger)
            #expect(peeked.prefix(2).map(\.text) == [#"{"job":"a&b"}"#, "second"])
            #expect(peeked.last?.base64Data == Data(bytes))
            let received = try await queues.getMessages(
                queue: "jobs",
                count: 1,
                visibilityTimeout: .seconds(30),
                logger: testLogger
            )
            let message = try #require(received.first)
            #expect(message.text == #"{"job":"a&b"}"#)
            #expect(message.dequeueCount == 1)
            let receipt = try await queues.updateMessage(
                queue: "jobs",
                id: message.id,
                popReceipt: try #require(message.popReceipt),
                visibilityTimeout: .seconds(60),
                text: "updated",
                logger: testLogger
            )
            let stale = await #expect(throws: AzureError.self) {
                try await queues.deleteMessage(
                    queue: "jobs",
                    id: message.id,
                    popReceipt: try #require(message.popReceipt),
                    logger: testLogger
                )
            }
            #expect(stale?.status == 404)
            try await queues.deleteMessage(
                queue: "jobs",
                id: message.id,
                popReceipt: receipt.popReceipt,
                logger: testLogger
            )
            let rest = try await queues.getMessages(queue: "jobs", count: 32, logger: testLogger)
            #expect(rest.first?.text == "second")
            #expect(rest.count == 2)

            // A queue SAS for processing works against the same queue.
            let sas = QueueSASBuilder(
                queue: "jobs",
                permissions: [.read, .add, .process],
                expiresOn: Date().addingTimeInterval(3600)
            ).sign(with: credential)
            let endpoint = try #require(cloud.environment.storageEndpoint(account: "nimbusqueue1", service: .queue))
            let viaSAS = QueueClient(client: cloud.client, endpoint: endpoint, authorization: .sas(sas.encoded))
            try await viaSAS.putMessage(queue: "jobs", text: "via sas", logger: testLogger)
            #expect(
                try await viaSAS.peekMessages(queue: "jobs", count: 5, logger: testLogger).map(\.text).contains(
                    "via sas"
                )
            )
            #expect(try await queues.deleteQueue("jobs", logger: testLogger))
        }
    }
}
