import AzureKit
import Foundation
import NIOHTTP1
import Testing

/// Shared Key vectors.
///
/// The canonical string of `sharedKeyDocumentationExample` is the worked example of Microsoft's
/// "Authorize with Shared Key" page (learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key,
/// section "Constructing the canonicalized resource string"). The signatures below were computed
/// with the emulator's public key and cross-checked against the Azure SDK for Python's Shared Key
/// policy (`azure-storage-blob` 12.x, `_shared/authentication.py`); see shared/azure-api.md §12.
@Suite struct SharedKeySigningTests {
    func request(_ method: HTTPMethod, _ url: String, headers: [(String, String)], bodyLength: Int = 0)
        -> AzureHTTPRequest
    {
        AzureHTTPRequest(
            method: method,
            url: URL(string: url)!,
            headers: HTTPHeaders(headers),
            body: AzureHTTPBody(bytes: [UInt8](repeating: 0, count: bodyLength))
        )
    }

    @Test func sharedKeyDocumentationExample() {
        let request = request(
            .GET,
            "https://myaccount.blob.core.windows.net/mycontainer?restype=container&comp=metadata&timeout=20",
            headers: [("x-ms-date", "Fri, 26 Jun 2015 23:39:12 GMT"), ("x-ms-version", "2015-02-21")]
        )
        let expected =
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Fri, 26 Jun 2015 23:39:12 GMT\nx-ms-version:2015-02-21\n/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20"
        #expect(SharedKeySigning.stringToSign(for: request, accountName: "myaccount") == expected)
    }

    @Test func listBlobsHostStyle() throws {
        let request = request(
            .GET,
            "https://devstoreaccount1.blob.core.windows.net/mycontainer?restype=container&comp=list",
            headers: [("x-ms-version", "2019-02-02"), ("x-ms-date", "Fri, 25 Oct 2019 17:59:36 GMT")]
        )
        let stringToSign = SharedKeySigning.stringToSign(for: request, accountName: "devstoreaccount1")
        #expect(
            stringToSign
                == "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Fri, 25 Oct 2019 17:59:36 GMT\nx-ms-version:2019-02-02\n/devstoreaccount1/mycontainer\ncomp:list\nrestype:container"
        )
        let credential = try StorageSharedKeyCredential(accountName: "devstoreaccount1", accountKey: emulatorKey)
        #expect(credential.signature(for: stringToSign) == "iKE7Tmit29ZgSLx1xGQA6GuqwN1xVcfzrUD61S3IvrY=")
    }

    @Test func listBlobsPathStyleRepeatsTheAccount() throws {
        let request = request(
            .GET,
            "http://127.0.0.1:10000/devstoreaccount1/mycontainer?restype=container&comp=list",
            headers: [("x-ms-date", "Fri, 25 Oct 2019 17:59:36 GMT"), ("x-ms-version", "2019-02-02")]
        )
        let stringToSign = SharedKeySigning.stringToSign(for: request, accountName: "devstoreaccount1")
        #expect(
            stringToSign.hasSuffix("\n/devstoreaccount1/devstoreaccount1/mycontainer\ncomp:list\nrestype:container")
        )
        let credential = try StorageSharedKeyCredential(accountName: "devstoreaccount1", accountKey: emulatorKey)
        #expect(credential.signature(for: stringToSign) == "hx+bf002BMiliyYZKgZ5/CF9ufZ642yWitj5yGJQFRE=")
    }

    @Test func putPageSignsLengthTypeAndRange() throws {
        let request = request(
            .PUT,
            "https://devstoreaccount1.blob.core.windows.net/backups/disk0.vhd?comp=page",
            headers: [
                ("Content-Type", "application/octet-stream"), ("x-ms-page-write", "update"),
                ("x-ms-range", "bytes=0-511"),
                ("x-ms-version", "2021-12-02"), ("x-ms-date", "Sun, 25 Sep 2011 22:33:35 GMT"),
            ],
            bodyLength: 512
        )
        let stringToSign = SharedKeySigning.stringToSign(for: request, accountName: "devstoreaccount1")
        #expect(
            stringToSign
                == "PUT\n\n\n512\n\napplication/octet-stream\n\n\n\n\n\n\nx-ms-date:Sun, 25 Sep 2011 22:33:35 GMT\nx-ms-page-write:update\nx-ms-range:bytes=0-511\nx-ms-version:2021-12-02\n/devstoreaccount1/backups/disk0.vhd\ncomp:page"
        )
        let credential = try StorageSharedKeyCredential(accountName: "devstoreaccount1", accountKey: emulatorKey)
        #expect(credential.signature(for: stringToSign) == "CFHEzrBWRygNoR0le28/ZrKTqc+qXO+U1o/gvCeHcFw=")
    }

    @Test func putMessageOnQueue() throws {
        let request = request(
            .POST,
            "https://devstoreaccount1.queue.core.windows.net/jobs/messages",
            headers: [
                ("Content-Type", "application/xml; charset=utf-8"), ("x-ms-date", "Sat, 22 Jun 2019 20:13:16 GMT"),
                ("x-ms-version", "2018-03-28"),
            ],
            bodyLength: 103
        )
        let stringToSign = SharedKeySigning.stringToSign(for: request, accountName: "devstoreaccount1")
        let credential = try StorageSharedKeyCredential(accountName: "devstoreaccount1", accountKey: emulatorKey)
        #expect(credential.signature(for: stringToSign) == "1R3OWSxDYiD5rteCroUg/GxwB9pj9T24rCsvNsXYNao=")
    }

    /// The service sorts `x-ms-` headers culture-aware, not by bytes: metadata `i_` before `i0`
    /// (the order the service's error detail showed in Azure/azure-sdk-for-python issue 10277),
    /// `foo_bar` before `foo2_bar` (Azure/azure-sdk-for-net issue 41328), and `-` only breaking ties
    /// (Azure/azure-sdk-for-js `storage-common` `SharedKeyComparator` tables).
    @Test func headersSortLikeTheService() {
        func canonical(_ names: [String]) -> [String] {
            let request = AzureHTTPRequest(
                method: .PUT,
                url: URL(string: "https://acct.blob.core.windows.net/c/b")!,
                headers: HTTPHeaders(names.map { ($0, "v") })
            )
            return SharedKeySigning.canonicalizedHeaders(request).split(separator: "\n").map {
                String($0.dropLast(2))
            }
        }
        #expect(canonical(["x-ms-meta-i0", "x-ms-meta-i_"]) == ["x-ms-meta-i_", "x-ms-meta-i0"])
        #expect(canonical(["x-ms-meta-FOO2_BAR", "x-ms-meta-FOO_BAR"]) == ["x-ms-meta-foo_bar", "x-ms-meta-foo2_bar"])
        #expect(canonical(["x-ms-meta-a-c", "x-ms-meta-ab"]) == ["x-ms-meta-ab", "x-ms-meta-a-c"])
        #expect(canonical(["x-ms-meta-abc-", "x-ms-meta-abc"]) == ["x-ms-meta-abc", "x-ms-meta-abc-"])
        #expect(
            canonical(["x-ms-meta-a+", "x-ms-meta-a~", "x-ms-meta-a9"]) == [
                "x-ms-meta-a~", "x-ms-meta-a+", "x-ms-meta-a9",
            ]
        )
        // The headers AzureKit itself sends keep their plain order.
        let own = [
            "x-ms-version", "x-ms-range-get-content-md5", "x-ms-range", "x-ms-date", "x-ms-client-request-id",
            "x-ms-blob-type", "x-ms-blob-content-type", "x-ms-blob-content-md5", "x-ms-blob-content-length",
            "x-ms-access-tier", "x-ms-page-write", "x-ms-previous-snapshot-url", "x-ms-delete-snapshots",
            "x-ms-rehydrate-priority",
        ]
        #expect(canonical(own) == own.sorted())
    }

    @Test func foldsLinearWhiteSpace() {
        let request = AzureHTTPRequest(
            method: .GET,
            url: URL(string: "https://acct.blob.core.windows.net/c")!,
            headers: HTTPHeaders([("x-ms-meta-note", "  a \t b\r\n  c  ")])
        )
        #expect(SharedKeySigning.canonicalizedHeaders(request) == "x-ms-meta-note:a b c\n")
    }

    @Test func authorizeAddsDateAndHeader() async throws {
        let fixed = Date(timeIntervalSince1970: 1_572_026_376)  // Fri, 25 Oct 2019 17:59:36 GMT
        let credential = try StorageSharedKeyCredential(
            accountName: "devstoreaccount1",
            accountKey: emulatorKey,
            now: { fixed }
        )
        var request = request(
            .GET,
            "https://devstoreaccount1.blob.core.windows.net/mycontainer?restype=container&comp=list",
            headers: [("x-ms-version", "2019-02-02")]
        )
        try await credential.authorize(&request, logger: testLogger)
        #expect(request.headers.first(name: "x-ms-date") == "Fri, 25 Oct 2019 17:59:36 GMT")
        #expect(
            request.headers.first(name: "Authorization")
                == "SharedKey devstoreaccount1:iKE7Tmit29ZgSLx1xGQA6GuqwN1xVcfzrUD61S3IvrY="
        )
        #expect(!String(describing: credential).contains(emulatorKey))
    }

    @Test func rejectsKeyThatIsNotBase64() {
        #expect(throws: AzureError.self) {
            try StorageSharedKeyCredential(accountName: "acct", accountKey: "not base64!")
        }
    }
}
