import AzureKit
import Crypto
import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

@Suite struct StorageDataPlaneTests {
    @Test func blockBlobsRoundTripWithRangesAndMD5() async throws {
        try await TestCloud.with { cloud in
            let key = try await cloud.makeAccount("blobs1")
            let signer = SharedKeySigner(account: "blobs1", key: key)
            let base = "\(cloud.endpoints.authorityHost)/blobs1"
            let create = try await cloud.send(
                .PUT,
                "\(base)/data?restype=container",
                headers: signer.headers(method: "PUT", url: "\(base)/data?restype=container")
            )
            #expect(create.status == 201)
            let payload = (0..<100_000).map { UInt8($0 % 251) }
            let md5 = Data(Insecure.MD5.hash(data: payload)).base64EncodedString()
            let putHeaders = [
                ("x-ms-blob-type", "BlockBlob"), ("Content-MD5", md5), ("Content-Type", "application/octet-stream"),
            ]
            let put = try await cloud.send(
                .PUT,
                "\(base)/data/dir/file.bin",
                headers: signer.headers(
                    method: "PUT",
                    url: "\(base)/data/dir/file.bin",
                    headers: putHeaders,
                    contentLength: payload.count
                ),
                body: payload
            )
            #expect(put.status == 201)
            let range = try await cloud.send(
                .GET,
                "\(base)/data/dir/file.bin",
                headers: signer.headers(
                    method: "GET",
                    url: "\(base)/data/dir/file.bin",
                    headers: [("x-ms-range", "bytes=1000-1999")]
                )
            )
            #expect(range.status == 206)
            #expect(range.body == Array(payload[1000..<2000]))
            #expect(range.header("content-range") == "bytes 1000-1999/100000")
            let wrong = [
                ("x-ms-blob-type", "BlockBlob"),
                ("Content-MD5", Data(Insecure.MD5.hash(data: [1, 2, 3])).base64EncodedString()),
            ]
            let mismatch = try await cloud.send(
                .PUT,
                "\(base)/data/other.bin",
                headers: signer.headers(method: "PUT", url: "\(base)/data/other.bin", headers: wrong, contentLength: 4),
                body: [1, 2, 3, 4]
            )
            #expect(mismatch.status == 400)
            #expect(mismatch.errorCode == "Md5Mismatch")
            let tooFar = try await cloud.send(
                .GET,
                "\(base)/data/dir/file.bin",
                headers: signer.headers(
                    method: "GET",
                    url: "\(base)/data/dir/file.bin",
                    headers: [("x-ms-range", "bytes=200000-")]
                )
            )
            #expect(tooFar.status == 416)
            let badSignature = try await cloud.send(
                .GET,
                "\(base)/data/dir/file.bin",
                headers: SharedKeySigner(account: "blobs1", key: Data(repeating: 1, count: 64).base64EncodedString())
                    .headers(method: "GET", url: "\(base)/data/dir/file.bin")
            )
            #expect(badSignature.status == 403)
            #expect(badSignature.errorCode == "AuthenticationFailed")
            #expect(badSignature.body.starts(with: [0xEF, 0xBB, 0xBF]))
        }
    }

    @Test func sasPermissionsAndExpiryAreEnforced() async throws {
        try await TestCloud.with { cloud in
            let key = try await cloud.makeAccount("sas1")
            let signer = SharedKeySigner(account: "sas1", key: key)
            let base = "\(cloud.endpoints.authorityHost)/sas1"
            _ = try await cloud.send(
                .PUT,
                "\(base)/cont1?restype=container",
                headers: signer.headers(method: "PUT", url: "\(base)/cont1?restype=container")
            )
            _ = try await cloud.send(
                .PUT,
                "\(base)/cont1/a.txt",
                headers: signer.headers(
                    method: "PUT",
                    url: "\(base)/cont1/a.txt",
                    headers: [("x-ms-blob-type", "BlockBlob")],
                    contentLength: 5
                ),
                body: Array("hello".utf8)
            )
            let read = signer.blobSAS(
                container: "cont1",
                blob: "a.txt",
                permissions: "r",
                expiry: Date().addingTimeInterval(600)
            )
            let ok = try await cloud.send(.GET, "\(base)/cont1/a.txt?\(read)")
            #expect(ok.status == 200)
            #expect(ok.text == "hello")
            let denied = try await cloud.send(.DELETE, "\(base)/cont1/a.txt?\(read)")
            #expect(denied.errorCode == "AuthorizationPermissionMismatch")
            let expired = signer.blobSAS(
                container: "cont1",
                blob: "a.txt",
                permissions: "r",
                expiry: Date().addingTimeInterval(-60)
            )
            let late = try await cloud.send(.GET, "\(base)/cont1/a.txt?\(expired)")
            #expect(late.status == 403)
            #expect(late.errorCode == "AuthenticationFailed")
            let other = try await cloud.send(.GET, "\(base)/cont1/b.txt?\(read)")
            #expect(other.status == 403)
            let tampered = try await cloud.send(
                .GET,
                "\(base)/cont1/a.txt?\(read.replacingOccurrences(of: "sp=r", with: "sp=rwd"))"
            )
            #expect(tampered.errorCode == "AuthenticationFailed")
        }
    }

    @Test func pageBlobSnapshotsDiff() async throws {
        try await TestCloud.with { cloud in
            let key = try await cloud.makeAccount("pages1")
            let signer = SharedKeySigner(account: "pages1", key: key)
            let base = "\(cloud.endpoints.authorityHost)/pages1"
            _ = try await cloud.send(
                .PUT,
                "\(base)/disks?restype=container",
                headers: signer.headers(method: "PUT", url: "\(base)/disks?restype=container")
            )
            let blob = "\(base)/disks/d.vhd"
            let create = try await cloud.send(
                .PUT,
                blob,
                headers: signer.headers(
                    method: "PUT",
                    url: blob,
                    headers: [("x-ms-blob-type", "PageBlob"), ("x-ms-blob-content-length", "1048576")]
                )
            )
            #expect(create.status == 201)
            func putPage(_ start: Int, _ byte: UInt8) async throws -> TestCloud.Reply {
                let url = "\(blob)?comp=page"
                let headers = [("x-ms-page-write", "update"), ("x-ms-range", "bytes=\(start)-\(start + 511)")]
                return try await cloud.send(
                    .PUT,
                    url,
                    headers: signer.headers(method: "PUT", url: url, headers: headers, contentLength: 512),
                    body: [UInt8](repeating: byte, count: 512)
                )
            }
            #expect(try await putPage(0, 1).status == 201)
            let snap = try await cloud.send(
                .PUT,
                "\(blob)?comp=snapshot",
                headers: signer.headers(method: "PUT", url: "\(blob)?comp=snapshot")
            )
            let first = try #require(snap.header("x-ms-snapshot"))
            #expect(try await putPage(8192, 2).status == 201)
            let misaligned = try await cloud.send(
                .PUT,
                "\(blob)?comp=page",
                headers: signer.headers(
                    method: "PUT",
                    url: "\(blob)?comp=page",
                    headers: [("x-ms-page-write", "update"), ("x-ms-range", "bytes=100-611")],
                    contentLength: 512
                ),
                body: [UInt8](repeating: 0, count: 512)
            )
            #expect(misaligned.status == 416)
            let encoded = first.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? first
            let diffURL = "\(blob)?comp=pagelist&prevsnapshot=\(encoded)"
            let diff = try await cloud.send(.GET, diffURL, headers: signer.headers(method: "GET", url: diffURL))
            #expect(diff.status == 200)
            #expect(
                diff.text.contains("<PageList><PageRange><Start>8192</Start><End>8703</End></PageRange></PageList>")
            )
            let full = try await cloud.send(
                .GET,
                "\(blob)?comp=pagelist",
                headers: signer.headers(method: "GET", url: "\(blob)?comp=pagelist")
            )
            #expect(
                full.text.contains(
                    "<PageRange><Start>0</Start><End>511</End></PageRange><PageRange><Start>8192</Start><End>8703</End></PageRange>"
                )
            )
            let read = try await cloud.send(
                .GET,
                blob,
                headers: signer.headers(method: "GET", url: blob, headers: [("x-ms-range", "bytes=0-1023")])
            )
            #expect(read.body == [UInt8](repeating: 1, count: 512) + [UInt8](repeating: 0, count: 512))
        }
    }

    @Test func queueVisibilityDequeueCountAndPopReceipts() async throws {
        try await TestCloud.with { cloud in
            let key = try await cloud.makeAccount("queues1")
            let signer = SharedKeySigner(account: "queues1", key: key)
            let base = "\(cloud.endpoints.authorityHost)/queues1-queue"
            #expect(
                try await cloud.send(.PUT, "\(base)/jobs", headers: signer.headers(method: "PUT", url: "\(base)/jobs"))
                    .status == 201
            )
            let body = Array("<QueueMessage><MessageText>hello</MessageText></QueueMessage>".utf8)
            let put = try await cloud.send(
                .POST,
                "\(base)/jobs/messages",
                headers: signer.headers(method: "POST", url: "\(base)/jobs/messages", contentLength: body.count),
                body: body
            )
            #expect(put.status == 201)
            // Hidden for 5 s. Whether the next request came within those 5 s is measured from before the first
            // one was sent, so the check below only runs when it must see the message hidden.
            let getURL = "\(base)/jobs/messages?visibilitytimeout=5"
            let sent = ContinuousClock.now
            let got = try await cloud.send(.GET, getURL, headers: signer.headers(method: "GET", url: getURL))
            #expect(got.text.contains("<DequeueCount>1</DequeueCount><MessageText>hello</MessageText>"))
            let hidden = try await cloud.send(.GET, getURL, headers: signer.headers(method: "GET", url: getURL))
            if ContinuousClock.now - sent < .seconds(5) {
                #expect(!hidden.text.contains("<QueueMessage>"))
            }
            // Then it becomes visible again, dequeued a second time (by the request above, when it came late).
            let deadline = ContinuousClock.now + .seconds(60)
            var again =
                hidden.text.contains("<QueueMessage>")
                ? hidden : try await cloud.send(.GET, getURL, headers: signer.headers(method: "GET", url: getURL))
            while !again.text.contains("<QueueMessage>"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(250))
                again = try await cloud.send(.GET, getURL, headers: signer.headers(method: "GET", url: getURL))
            }
            #expect(again.text.contains("<DequeueCount>2</DequeueCount>"))
            let id = try #require(SimpleXML.elements(["MessageId"], in: again.text).first?.value)
            let receipt = try #require(SimpleXML.elements(["PopReceipt"], in: again.text).first?.value)
            let oldReceipt = try #require(SimpleXML.elements(["PopReceipt"], in: got.text).first?.value)
            let encodedOld = oldReceipt.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? oldReceipt
            let stale = try await cloud.send(
                .DELETE,
                "\(base)/jobs/messages/\(id)?popreceipt=\(encodedOld)",
                headers: signer.headers(method: "DELETE", url: "\(base)/jobs/messages/\(id)?popreceipt=\(encodedOld)")
            )
            #expect(stale.errorCode == "MessageNotFound")
            let encoded = receipt.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? receipt
            let deleted = try await cloud.send(
                .DELETE,
                "\(base)/jobs/messages/\(id)?popreceipt=\(encoded)",
                headers: signer.headers(method: "DELETE", url: "\(base)/jobs/messages/\(id)?popreceipt=\(encoded)")
            )
            #expect(deleted.status == 204)
            let large = Array(
                "<QueueMessage><MessageText>\(String(repeating: "x", count: 70_000))</MessageText></QueueMessage>".utf8
            )
            let tooLarge = try await cloud.send(
                .POST,
                "\(base)/jobs/messages",
                headers: signer.headers(method: "POST", url: "\(base)/jobs/messages", contentLength: large.count),
                body: large
            )
            #expect(tooLarge.errorCode == "MessageTooLarge")
        }
    }

    @Test func publicAccessDisabledIsRefusedUnlessThroughAPrivateEndpoint() async throws {
        try await TestCloud.with { cloud in
            let key = try await cloud.makeAccount("private1", publicNetworkAccess: "Disabled")
            let signer = SharedKeySigner(account: "private1", key: key)
            let url = "\(cloud.endpoints.authorityHost)/private1/cont?restype=container"
            let refused = try await cloud.send(.PUT, url, headers: signer.headers(method: "PUT", url: url))
            #expect(refused.status == 403)
            #expect(refused.errorCode == "AuthorizationFailure")
            let services = cloud.cloud.services
            let listener = try await services.listeners.add(host: "127.0.0.1", port: 0)
            let account = try #require(services.storageAccount(named: "private1"))
            services.privateEndpoints.register(
                .init(
                    address: listener,
                    targetResourceID: account.resourceID,
                    groupID: "blob",
                    privateEndpointID: "/pe/1"
                )
            )
            let privateURL = "https://127.0.0.1:\(listener.port)/private1/cont?restype=container"
            let accepted = try await cloud.send(
                .PUT,
                privateURL,
                headers: signer.headers(method: "PUT", url: privateURL)
            )
            #expect(accepted.status == 201)
            let queueURL = "https://127.0.0.1:\(listener.port)/private1-queue/q"
            let wrongGroup = try await cloud.send(.PUT, queueURL, headers: signer.headers(method: "PUT", url: queueURL))
            #expect(wrongGroup.errorCode == "AuthorizationFailure")
        }
    }

    @Test func bearerTokensAreAcceptedForTheStorageAudienceOnly() async throws {
        try await TestCloud.with { cloud in
            _ = try await cloud.makeAccount("bearer1")
            let url = "\(cloud.endpoints.authorityHost)/bearer1/cont?restype=container"
            let storageToken = try await cloud.token(scope: "https://storage.azure.com/.default")
            let accepted = try await cloud.send(
                .PUT,
                url,
                headers: [("Authorization", "Bearer \(storageToken)"), ("x-ms-version", "2021-12-02")]
            )
            #expect(accepted.status == 201)
            let armToken = try await cloud.token()
            let refused = try await cloud.send(
                .GET,
                url,
                headers: [("Authorization", "Bearer \(armToken)"), ("x-ms-version", "2021-12-02")]
            )
            #expect(refused.status == 401)
            #expect(refused.errorCode == "InvalidAuthenticationInfo")
        }
    }

    @Test func faultRulesThrottleAndExpire() async throws {
        try await TestCloud.with { cloud in
            let key = try await cloud.makeAccount("faults1")
            let signer = SharedKeySigner(account: "faults1", key: key)
            var rule = FaultRule(kind: .throttle, service: "blob", account: "faults1", operation: "CreateContainer")
            rule.remaining = 1
            rule.retryAfter = 3
            try await cloud.cloud.services.faults.replace(FaultRules(rules: [rule]))
            let url = "\(cloud.endpoints.authorityHost)/faults1/cont?restype=container"
            let throttled = try await cloud.send(.PUT, url, headers: signer.headers(method: "PUT", url: url))
            #expect(throttled.status == 503)
            #expect(throttled.errorCode == "ServerBusy")
            #expect(throttled.header("retry-after") == "3")
            let next = try await cloud.send(.PUT, url, headers: signer.headers(method: "PUT", url: url))
            #expect(next.status == 201)
        }
    }

    @Test func stateSurvivesARestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lc-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = try await TestCloud.with(folder: folder) { cloud -> String in
            let key = try await cloud.makeAccount("restart1")
            let signer = SharedKeySigner(account: "restart1", key: key)
            let base = "\(cloud.endpoints.authorityHost)/restart1"
            _ = try await cloud.send(
                .PUT,
                "\(base)/cont?restype=container",
                headers: signer.headers(method: "PUT", url: "\(base)/cont?restype=container")
            )
            _ = try await cloud.send(
                .PUT,
                "\(base)/cont/b",
                headers: signer.headers(
                    method: "PUT",
                    url: "\(base)/cont/b",
                    headers: [("x-ms-blob-type", "BlockBlob")],
                    contentLength: 3
                ),
                body: [1, 2, 3]
            )
            return key
        }
        try await TestCloud.with(folder: folder) { cloud in
            let signer = SharedKeySigner(account: "restart1", key: key)
            let url = "\(cloud.endpoints.authorityHost)/restart1/cont/b"
            let reply = try await cloud.send(.GET, url, headers: signer.headers(method: "GET", url: url))
            #expect(reply.body == [1, 2, 3])
        }
    }
}
