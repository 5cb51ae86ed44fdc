import AzureKit
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@Suite struct BlobClientTests {
    func md5(_ bytes: [UInt8]) -> String { Data(Insecure.MD5.hash(data: bytes)).base64EncodedString() }

    func blobClient(_ client: AzureClient, _ server: TestHTTPServer) throws -> BlobClient {
        let credential = try StorageSharedKeyCredential(accountName: "devstoreaccount1", accountKey: emulatorKey)
        return BlobClient(
            client: client,
            endpoint: URL(string: server.baseURL + "/devstoreaccount1")!,
            authorization: .sharedKey(credential)
        )
    }

    @Test func putBlobSendsMD5VersionAndValidSignature() async throws {
        try await TestHTTPServer.Handling({ _, _ in
            TestResponse(status: .created, headers: HTTPHeaders([("ETag", "\"0x1\"")]), text: "")
        }).run { server in
            try await withTestClient { client in
                let blobs = try blobClient(client, server)
                let etag = try await blobs.putBlob(
                    container: "repo",
                    blob: "packs/a b",
                    data: ByteBuffer(string: "hello"),
                    options: BlobUploadOptions(accessTier: .cool, createOnly: true),
                    logger: testLogger
                )
                #expect(etag == "\"0x1\"")
            }
            let request = try #require(server.requests.first)
            #expect(request.method == .PUT)
            #expect(request.uri == "/devstoreaccount1/repo/packs/a%20b")
            #expect(request.headers.first(name: "x-ms-blob-type") == "BlockBlob")
            #expect(request.headers.first(name: "Content-MD5") == md5(Array("hello".utf8)))
            #expect(request.headers.first(name: "x-ms-version") == StorageServiceClient.defaultVersion)
            #expect(request.headers.first(name: "x-ms-access-tier") == "Cool")
            #expect(request.headers.first(name: "If-None-Match") == "*")
            #expect(request.headers.first(name: "x-ms-client-request-id") != nil)
            // Re-sign what the server received and compare.
            let received = AzureHTTPRequest(
                method: request.method,
                url: URL(string: server.baseURL + request.uri)!,
                headers: request.headers,
                body: AzureHTTPBody(bytes: request.body)
            )
            let credential = try StorageSharedKeyCredential(accountName: "devstoreaccount1", accountKey: emulatorKey)
            let expected = credential.signature(
                for: SharedKeySigning.stringToSign(for: received, accountName: "devstoreaccount1")
            )
            #expect(request.headers.first(name: "Authorization") == "SharedKey devstoreaccount1:\(expected)")
        }
    }

    @Test func largeUploadStagesBlocksInParallelAndCommitsInOrder() async throws {
        let staged = Mutex<[String: [UInt8]]>([:])
        let committed = Mutex<[UInt8]>([])
        let blobMD5 = Mutex<String?>(nil)
        try await TestHTTPServer.Handling({ request, _ in
            if request.query.contains("comp=block&") || request.query.hasPrefix("comp=block&") {
                let id =
                    request.query.split(separator: "&").first { $0.hasPrefix("blockid=") }.map {
                        String($0.dropFirst(8)).removingPercentEncoding ?? ""
                    } ?? ""
                #expect(
                    request.headers.first(name: "Content-MD5")
                        == Data(Insecure.MD5.hash(data: request.body)).base64EncodedString()
                )
                staged.withLock { $0[id] = request.body }
                return TestResponse(status: .created, text: "")
            }
            if request.query.contains("comp=blocklist") {
                let root = try? AzureXMLParser.parse(request.body)
                let ids = root?.children(named: "Latest").map(\.text) ?? []
                let bytes = staged.withLock { blocks in ids.flatMap { blocks[$0] ?? [] } }
                committed.withLock { $0 = bytes }
                // Put Block List stores the whole blob's MD5 from x-ms-blob-content-md5 (Put Block List, "Request headers").
                blobMD5.withLock { $0 = request.headers.first(name: "x-ms-blob-content-md5") }
                return TestResponse(status: .created, headers: HTTPHeaders([("ETag", "\"0x2\"")]), text: "")
            }
            return TestResponse(status: .badRequest, text: "")
        }).run { server in
            let data = (0..<(10 * 1024 + 100)).map { UInt8($0 % 251) }
            try await withTestClient { client in
                let blobs = try blobClient(client, server)
                let etag = try await blobs.upload(
                    container: "repo",
                    blob: "big",
                    data: ByteBuffer(bytes: data),
                    blockSize: 1024,
                    concurrency: 3,
                    logger: testLogger
                )
                #expect(etag == "\"0x2\"")
            }
            #expect(committed.withLock { $0 } == data)
            #expect(blobMD5.withLock { $0 } == md5(data))
            #expect(staged.withLock { $0.count } == 11)
            #expect(Set(staged.withLock { Array($0.keys) }.map(\.count)).count == 1)
        }
    }

    @Test func rangedDownloadVerifiesMD5() async throws {
        let content = Array("0123456789abcdef".utf8)
        try await TestHTTPServer.Handling({ request, index in
            let range = content[4...7]
            let goodMD5 = Data(Insecure.MD5.hash(data: Array(range))).base64EncodedString()
            return TestResponse(
                status: .partialContent,
                headers: HTTPHeaders([
                    ("Content-Range", "bytes 4-7/16"),
                    ("Content-MD5", index == 0 ? goodMD5 : "AAAAAAAAAAAAAAAAAAAAAA=="),
                    ("x-ms-blob-type", "BlockBlob"),
                ]),
                body: Array(range)
            )
        }).run { server in
            try await withTestClient { client in
                let blobs = try blobClient(client, server)
                let download = try await blobs.download(
                    container: "c",
                    blob: "b",
                    range: PageRange(start: 4, end: 7),
                    logger: testLogger
                )
                #expect(download.properties.contentLength == 16)
                #expect(download.range == PageRange(start: 4, end: 7))
                #expect(String(buffer: try await download.collect(upTo: 100)) == "4567")
                let bad = try await blobs.download(
                    container: "c",
                    blob: "b",
                    range: PageRange(start: 4, end: 7),
                    logger: testLogger
                )
                let error = await #expect(throws: AzureError.self) { _ = try await bad.collect(upTo: 100) }
                #expect(error?.code == .checksumMismatch)
            }
            #expect(server.requests.first?.headers.first(name: "x-ms-range") == "bytes=4-7")
            #expect(server.requests.first?.headers.first(name: "x-ms-range-get-content-md5") == "true")
        }
    }

    @Test func listingFollowsMarkersAndStopsOnRepeat() async throws {
        @Sendable func page(_ names: [String], next: String?) -> String {
            let blobs = names.map {
                "<Blob><Name>\($0)</Name><Properties><Content-Length>1</Content-Length></Properties></Blob>"
            }.joined()
            return
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults><Blobs>\(blobs)</Blobs><NextMarker>\(next ?? "")</NextMarker></EnumerationResults>"
        }
        try await TestHTTPServer.Handling({ request, _ in
            if request.query.contains("marker=m2") { return TestResponse(body: page(["c"], next: nil).withBOM) }
            if request.query.contains("marker=m1") { return TestResponse(body: page(["b"], next: "m2").withBOM) }
            return TestResponse(body: page(["a"], next: "m1").withBOM)
        }).run { server in
            try await withTestClient { client in
                let names = try await blobClient(client, server).listBlobs(
                    container: "repo",
                    prefix: "p/",
                    logger: testLogger
                ).collect().map(\.name)
                #expect(names == ["a", "b", "c"])
            }
            #expect(server.requests.count == 3)
            #expect(server.requests[0].query.contains("restype=container&comp=list&prefix=p%2F"))
        }
        try await TestHTTPServer.Handling({ _, _ in TestResponse(body: page(["x"], next: "same").withBOM) }).run {
            server in
            try await withTestClient { client in
                let names = try await blobClient(client, server).listBlobs(container: "repo", logger: testLogger)
                    .collect().map(\.name)
                #expect(names == ["x", "x"])
            }
            #expect(server.requests.count == 2)
        }
    }

    /// "Get Page Ranges": `x-ms-previous-snapshot-url` exists from x-ms-version 2019-07-07, `marker`
    /// and `maxresults` from 2020-10-02; older versions are refused before sending.
    @Test func pageListFeaturesNeedTheirVersions() async throws {
        try await TestHTTPServer.Handling({ _, _ in TestResponse(text: "") }).run { server in
            try await withTestClient { client in
                var blobs = try blobClient(client, server)
                blobs.service.version = "2019-02-02"
                let diff = await #expect(throws: AzureError.self) {
                    _ = try await blobs.pageRangesPage(
                        container: "c",
                        blob: "d",
                        previous: .url("https://md-x.blob.storage.azure.net/c/abcd?sig=x"),
                        logger: testLogger
                    )
                }
                #expect(diff?.code == .invalidRequest)
                await #expect(throws: AzureError.self) {
                    _ = try await blobs.pageRangesPage(container: "c", blob: "d", maxResults: 100, logger: testLogger)
                }
                blobs.service.version = StorageServiceClient.defaultVersion
                await #expect(throws: AzureError.self) {
                    _ = try await blobs.pageRangesPage(container: "c", blob: "d", maxResults: 0, logger: testLogger)
                }
            }
            #expect(server.requests.isEmpty)
        }
    }

    @Test func managedDiskDiffUsesPreviousSnapshotURLAndKeepsSAS() async throws {
        try await TestHTTPServer.Handling({ request, _ in
            let body =
                request.query.contains("marker=")
                ? "<?xml version=\"1.0\" encoding=\"utf-8\"?><PageList><ClearRange><Start>8192</Start><End>8703</End></ClearRange></PageList>"
                : "<?xml version=\"1.0\" encoding=\"utf-8\"?><PageList><PageRange><Start>0</Start><End>4095</End></PageRange><NextMarker>next</NextMarker></PageList>"
            return TestResponse(headers: HTTPHeaders([("x-ms-blob-content-length", "1073742336")]), body: body.withBOM)
        }).run { server in
            let newer = try SASURL(
                string: server.baseURL
                    + "/md-abc/c1/abcd?snapshot=2024-01-02T00%3A00%3A00.0000000Z&sv=2018-11-09&sr=bs&si=p1&sig=newsig"
            )
            let older =
                server.baseURL
                + "/md-abc/c1/abcd?snapshot=2024-01-01T00%3A00%3A00.0000000Z&sv=2018-11-09&sr=bs&si=p0&sig=oldsig"
            try await withTestClient { client in
                let blobs = try BlobClient(client: client, sasURL: newer)
                let entries = try await blobs.pageRanges(
                    container: "c1",
                    blob: "abcd",
                    previous: .url(older),
                    logger: testLogger
                ).collect()
                #expect(
                    entries == [.data(PageRange(start: 0, end: 4095)), .cleared(PageRange(start: 8192, end: 8703))]
                )
            }
            let first = try #require(server.requests.first)
            #expect(first.path == "/md-abc/c1/abcd")
            #expect(first.query.hasPrefix("comp=pagelist&snapshot=2024-01-02T00%3A00%3A00.0000000Z&sv=2018-11-09"))
            #expect(first.query.hasSuffix("sig=newsig"))
            #expect(first.headers.first(name: "x-ms-previous-snapshot-url") == older)
            #expect(first.headers.first(name: "Authorization") == nil)
            #expect(server.requests[1].query.contains("marker=next"))
        }
    }

    @Test func pageWritesAreCheckedForAlignment() async throws {
        try await TestHTTPServer.Handling({ _, _ in TestResponse(status: .created, text: "") }).run { server in
            try await withTestClient { client in
                let blobs = try blobClient(client, server)
                await #expect(throws: AzureError.self) {
                    try await blobs.putPages(
                        container: "c",
                        blob: "d",
                        offset: 100,
                        data: ByteBuffer(bytes: [UInt8](repeating: 1, count: 512)),
                        logger: testLogger
                    )
                }
                await #expect(throws: AzureError.self) {
                    try await blobs.putPages(
                        container: "c",
                        blob: "d",
                        offset: 0,
                        data: ByteBuffer(bytes: [UInt8](repeating: 1, count: 4 * 1024 * 1024 + 512)),
                        logger: testLogger
                    )
                }
                try await blobs.createPageBlob(container: "c", blob: "d", size: 4096, logger: testLogger)
                try await blobs.putPages(
                    container: "c",
                    blob: "d",
                    offset: 512,
                    data: ByteBuffer(bytes: [UInt8](repeating: 1, count: 1024)),
                    logger: testLogger
                )
                try await blobs.clearPages(container: "c", blob: "d", offset: 0, length: 512, logger: testLogger)
            }
            #expect(server.requests.count == 3)
            #expect(server.requests[0].headers.first(name: "x-ms-blob-content-length") == "4096")
            #expect(server.requests[1].headers.first(name: "x-ms-range") == "bytes=512-1535")
            #expect(server.requests[1].headers.first(name: "x-ms-page-write") == "update")
            #expect(server.requests[2].headers.first(name: "x-ms-page-write") == "clear")
            #expect(server.requests[2].headers.first(name: "Content-MD5") == nil)
        }
    }

    @Test func createContainerIsIdempotentAndTierReportsRehydration() async throws {
        try await TestHTTPServer.Handling({ request, _ in
            if request.query == "restype=container" {
                return TestResponse(
                    status: .conflict,
                    headers: HTTPHeaders([("x-ms-error-code", "ContainerAlreadyExists")]),
                    body:
                        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ContainerAlreadyExists</Code><Message>The specified container already exists.</Message></Error>"
                        .withBOM
                )
            }
            return TestResponse(status: .accepted, text: "")
        }).run { server in
            try await withTestClient { client in
                let blobs = try blobClient(client, server)
                let created = try await blobs.createContainer("repo", logger: testLogger)
                #expect(created == false)
                let immediate = try await blobs.setTier(
                    container: "repo",
                    blob: "x",
                    tier: .hot,
                    rehydratePriority: .high,
                    logger: testLogger
                )
                #expect(immediate == false)
            }
            #expect(server.requests[1].headers.first(name: "x-ms-rehydrate-priority") == "High")
            #expect(server.requests[1].query == "comp=tier")
        }
    }

    /// Get User Delegation Key: `POST /?restype=service&comp=userdelegationkey` with a bearer token
    /// and `<KeyInfo><Start>…<Expiry>…` in ISO 8601 without fractions (Get User Delegation Key,
    /// learn.microsoft.com/rest/api/storageservices/get-user-delegation-key).
    @Test func userDelegationKeyRequest() async throws {
        try await TestHTTPServer.Handling({ _, _ in
            TestResponse(
                body: """
                    <?xml version="1.0" encoding="utf-8"?><UserDelegationKey><SignedOid>oid-1</SignedOid><SignedTid>tid-1</SignedTid><SignedStart>2024-01-01T00:00:00Z</SignedStart><SignedExpiry>2024-01-02T00:00:00Z</SignedExpiry><SignedService>b</SignedService><SignedVersion>2021-12-02</SignedVersion><Value>a2V5LXZhbHVl</Value></UserDelegationKey>
                    """.withBOM
            )
        }).run { server in
            let key = try await withTestClient { client in
                let blobs = BlobClient(
                    client: client,
                    endpoint: URL(string: server.baseURL + "/devstoreaccount1")!,
                    authorization: .token(
                        StaticTokenCredential(token: "storage-token"),
                        scope: "https://storage.azure.com/.default"
                    )
                )
                return try await blobs.userDelegationKey(
                    start: AzureISODate.parse("2024-01-01T00:00:00Z")!,
                    expiry: AzureISODate.parse("2024-01-02T00:00:00Z")!,
                    logger: testLogger
                )
            }
            #expect(key.signedObjectID == "oid-1")
            #expect(key.value == "a2V5LXZhbHVl")
            let request = try #require(server.requests.first)
            #expect(request.method == .POST)
            #expect(request.uri == "/devstoreaccount1/?restype=service&comp=userdelegationkey")
            #expect(request.headers.first(name: "Authorization") == "Bearer storage-token")
            let body = String(decoding: request.body, as: UTF8.self)
            #expect(
                body.hasSuffix(
                    "<KeyInfo><Start>2024-01-01T00:00:00Z</Start><Expiry>2024-01-02T00:00:00Z</Expiry></KeyInfo>"
                )
            )
        }
    }

    /// A streamed Put Blob sends the caller's MD5 as `Content-MD5` (checked by the service) and is
    /// sent once, whatever the answer.
    @Test func streamedPutBlobSendsGivenMD5() async throws {
        try await TestHTTPServer.Handling({ _, _ in TestResponse(status: .created, text: "") }).run { server in
            try await withTestClient { client in
                let blobs = try blobClient(client, server)
                let stream = AsyncStream<ByteBuffer> { continuation in
                    continuation.yield(ByteBuffer(string: "stream"))
                    continuation.yield(ByteBuffer(string: "ed"))
                    continuation.finish()
                }
                try await blobs.putBlob(
                    container: "repo",
                    blob: "s",
                    stream: .stream(stream, length: 8),
                    options: BlobUploadOptions(contentMD5: md5(Array("streamed".utf8))),
                    logger: testLogger
                )
            }
            let request = try #require(server.requests.first)
            #expect(request.body == Array("streamed".utf8))
            #expect(request.headers.first(name: "Content-MD5") == md5(Array("streamed".utf8)))
            #expect(request.headers.first(name: "x-ms-blob-type") == "BlockBlob")
        }
    }
}
