import AzureKit
import Foundation
import Testing

/// SAS vectors. String-to-sign layouts follow Microsoft's "Create a service SAS" and "Create an
/// account SAS" pages; the expected blob SAS string mirrors the table in Azure/azure-sdk-for-java
/// `sdk/storage/azure-storage-common/src/test-shared/java/com/azure/storage/common/test/shared/SasTestData.java`
/// (`"r\n" + st + "\n" + se + "\n/blob/<account>/containerName/blobName\n\n\n\n" + sv + "\nb\n…"`).
/// Signatures were cross-checked with the Python SDK's `generate_blob_sas`, `generate_account_sas`
/// and `generate_queue_sas` (shared/azure-api.md §12).
@Suite struct SASTests {
    let start = AzureISODate.parse("2024-01-01T00:00:00Z")!
    let expiry = AzureISODate.parse("2024-01-02T00:00:00Z")!

    func credential() throws -> StorageSharedKeyCredential {
        try StorageSharedKeyCredential(accountName: "devstoreaccount1", accountKey: emulatorKey)
    }

    @Test func blobServiceSAS() throws {
        var builder = BlobSASBuilder(container: "backups", blob: "disk0.vhd", permissions: .read, expiresOn: expiry)
        builder.startsOn = start
        builder.sasProtocol = .httpsOnly
        let expected =
            "r\n2024-01-01T00:00:00Z\n2024-01-02T00:00:00Z\n/blob/devstoreaccount1/backups/disk0.vhd\n\n\nhttps\n2022-11-02\nb\n\n\n\n\n\n\n"
        #expect(builder.stringToSign(accountName: "devstoreaccount1") == expected)
        let query = builder.sign(with: try credential())
        #expect(query.value("sig") == "+SK8PdDfQC747Mp178YIVVRaH8ohwBSWjqPi6sJMFbs=")
        #expect(query.value("sr") == "b")
        #expect(query.encoded.contains("sig=%2BSK8PdDfQC747Mp178YIVVRaH8ohwBSWjqPi6sJMFbs%3D"))
        #expect(!query.description.contains("SK8Pd"))
    }

    @Test func blobServiceSASAtNewestVersion() throws {
        var builder = BlobSASBuilder(container: "backups", blob: "disk0.vhd", permissions: .read, expiresOn: expiry)
        builder.startsOn = start
        builder.version = "2026-10-06"
        #expect(builder.sign(with: try credential()).value("sig") == "6l5EVcTUgHT2d9VQ43ZvglmdaoIJW6h5pQ1ZtsjyZrQ=")
    }

    @Test func containerSASHasResourceC() throws {
        let builder = BlobSASBuilder(container: "repo", permissions: .repository, expiresOn: expiry)
        #expect(builder.resource == "c")
        #expect(builder.permissions == "racwdl")
        #expect(builder.stringToSign(accountName: "acct").contains("\n/blob/acct/repo\n"))
    }

    @Test func olderVersionLayoutsDropFields() {
        var builder = BlobSASBuilder(container: "c", blob: "b", permissions: .read, expiresOn: expiry)
        builder.version = "2019-12-12"
        #expect(
            builder.stringToSign(accountName: "a").split(separator: "\n", omittingEmptySubsequences: false).count == 15
        )
        builder.version = "2017-11-09"
        #expect(
            builder.stringToSign(accountName: "a").split(separator: "\n", omittingEmptySubsequences: false).count == 13
        )
    }

    @Test func accountSAS() throws {
        var builder = AccountSASBuilder(permissions: "cwrdla", services: "qb", resourceTypes: "osc", expiresOn: expiry)
        #expect(builder.permissions == "rwdlac")
        #expect(builder.services == "bq")
        #expect(builder.resourceTypes == "sco")
        #expect(
            builder.stringToSign(accountName: "devstoreaccount1")
                == "devstoreaccount1\nrwdlac\nbq\nsco\n\n2024-01-02T00:00:00Z\n\nhttps\n2022-11-02\n\n"
        )
        #expect(builder.sign(with: try credential()).value("sig") == "HE3iQgrRJ62wThtuF9uDyEtElSMVhg0nvUfI3Na5n/E=")
        builder = AccountSASBuilder(permissions: "rwdlac", services: "b", resourceTypes: "sco", expiresOn: expiry)
        builder.version = "2026-10-06"
        #expect(builder.sign(with: try credential()).value("sig") == "OOl7YdNEpwQgOfrPwz6Ffc4aNmR8z9q+ur5xk+5Qk8Y=")
    }

    @Test func queueSAS() throws {
        var builder = QueueSASBuilder(queue: "jobs", permissions: [.process, .read, .update, .add], expiresOn: expiry)
        #expect(builder.permissions.rawValue == "raup")
        #expect(
            builder.stringToSign(accountName: "devstoreaccount1")
                == "raup\n\n2024-01-02T00:00:00Z\n/queue/devstoreaccount1/jobs\n\n\nhttps\n2022-11-02"
        )
        #expect(builder.sign(with: try credential()).value("sig") == "wWb0BPkTJhEHtAlkzXWXgoO6v5EiNwAtM1GMU+QKEQA=")
        builder.version = "2026-10-06"
        #expect(builder.sign(with: try credential()).value("sig") == "6XyLYl1A5EUP5Y9lXqeN+IUm6w6lEs7lj87DSFzA5Qw=")
    }

    @Test func parsesManagedDiskExportURL() throws {
        let url = try SASURL(
            string:
                "https://md-s1f0l2zctgzf.z33.blob.storage.azure.net/htk1xm3mlzf2/abcd?snapshot=2021-08-05T20%3A58%3A06.9075559Z&sv=2018-11-09&sr=bs&si=0f1e&sig=c2VjcmV0c2lnbmF0dXJl%3D"
        )
        #expect(url.accountName == "md-s1f0l2zctgzf")
        #expect(url.container == "htk1xm3mlzf2")
        #expect(url.blob == "abcd")
        #expect(url.snapshot == "2021-08-05T20:58:06.9075559Z")
        #expect(url.signedResource == "bs")
        #expect(url.serviceEndpoint?.absoluteString == "https://md-s1f0l2zctgzf.z33.blob.storage.azure.net/")
        #expect(!url.description.contains("c2VjcmV0"))
        #expect(url.description.contains("sig=REDACTED"))
    }

    @Test func parsesPathStyleContainerSAS() throws {
        let url = try SASURL(
            string:
                "http://127.0.0.1:10000/devstoreaccount1/repo?sv=2022-11-02&sr=c&sp=racwdl&se=2024-01-02T00%3A00%3A00Z&sig=abc%2B"
        )
        #expect(url.isPathStyle)
        #expect(url.accountName == "devstoreaccount1")
        #expect(url.container == "repo")
        #expect(url.blob == nil)
        #expect(url.expiresOn == expiry)
        #expect(url.serviceEndpoint?.absoluteString == "http://127.0.0.1:10000/devstoreaccount1/")
    }

    @Test func rejectsURLWithoutSignature() {
        #expect(throws: AzureError.self) { try SASURL(string: "https://acct.blob.core.windows.net/c?sv=2022-11-02") }
    }
}

/// User-delegation SAS: the 28-field layout of version 2026-10-06 (fields as listed in
/// Azure/azure-sdk-for-java `.../test/shared/UserDelegationSasTestData.java`), signature cross-checked
/// with the Python SDK's `generate_blob_sas(user_delegation_key=…)` (shared/azure-api.md §12).
@Suite struct UserDelegationSASTests {
    let key = UserDelegationKey(
        signedObjectID: "11111111-1111-1111-1111-111111111111",
        signedTenantID: "22222222-2222-2222-2222-222222222222",
        signedStart: "2024-01-01T00:00:00Z",
        signedExpiry: "2024-01-03T00:00:00Z",
        signedService: "b",
        signedVersion: "2022-11-02",
        value: Data(repeating: UInt8(ascii: "k"), count: 32).base64EncodedString()
    )

    @Test func newestLayoutSignature() throws {
        var builder = BlobSASBuilder(
            container: "backups",
            blob: "disk0.vhd",
            permissions: .read,
            expiresOn: AzureISODate.parse("2024-01-02T00:00:00Z")
        )
        builder.version = "2026-10-06"
        #expect(
            builder.userDelegationStringToSign(accountName: "acct", key: key).split(
                separator: "\n",
                omittingEmptySubsequences: false
            ).count == 28
        )
        let query = try builder.sign(with: key, accountName: "acct")
        #expect(query.value("sig") == "ZSMpJ7i+V1bR6whr7/7ToWRnlWEckIW7GnSk+qEgYBU=")
        #expect(query.value("skoid") == key.signedObjectID)
        #expect(!String(describing: key).contains(key.value))
    }

    /// Version 2025-07-05 adds `skdutid` and `sduoid` after `scid` but not yet `srh`/`srq`, which
    /// arrive with 2026-04-06: Azure/azure-sdk-for-js `sdk/storage/storage-blob/src/sas/BlobSASSignatureValues.ts`
    /// (`generateBlobSASQueryParametersUDK20250705` and `…UDK20260406`). The signature is the HMAC
    /// of that string computed independently with Python's `hmac`.
    @Test func layoutOf20250705Has26Fields() throws {
        var builder = BlobSASBuilder(
            container: "backups",
            blob: "disk0.vhd",
            permissions: .read,
            expiresOn: AzureISODate.parse("2024-01-02T00:00:00Z")
        )
        builder.version = "2025-07-05"
        let expected =
            "r\n\n2024-01-02T00:00:00Z\n/blob/acct/backups/disk0.vhd\n11111111-1111-1111-1111-111111111111\n"
            + "22222222-2222-2222-2222-222222222222\n2024-01-01T00:00:00Z\n2024-01-03T00:00:00Z\nb\n2022-11-02\n"
            + "\n\n\n\n\n\nhttps\n2025-07-05\nb\n\n\n\n\n\n\n"
        #expect(builder.userDelegationStringToSign(accountName: "acct", key: key) == expected)
        #expect(
            try builder.sign(with: key, accountName: "acct").value("sig")
                == "sCgkvZs+Twh6BhS+aERle2p8hZZa8/vUvU8s7O+Hvl4="
        )
        builder.version = "2026-04-06"
        #expect(
            builder.userDelegationStringToSign(accountName: "acct", key: key).split(
                separator: "\n",
                omittingEmptySubsequences: false
            ).count == 28
        )
    }

    /// Response-header overrides are signed (`rscc`…`rsct` close the string-to-sign) and so must
    /// travel in the query too, or the service cannot check the signature.
    @Test func userDelegationCarriesResponseOverrides() throws {
        var builder = BlobSASBuilder(
            container: "backups",
            blob: "disk0.vhd",
            permissions: .read,
            expiresOn: AzureISODate.parse("2024-01-02T00:00:00Z")
        )
        builder.contentType = "application/octet-stream"
        builder.contentDisposition = "attachment"
        let query = try builder.sign(with: key, accountName: "acct")
        #expect(query.value("rsct") == "application/octet-stream")
        #expect(query.value("rscd") == "attachment")
        #expect(
            builder.userDelegationStringToSign(accountName: "acct", key: key).hasSuffix(
                "\nattachment\n\n\napplication/octet-stream"
            )
        )
        #expect(query.items.last?.name == "sig")
    }

    @Test func userDelegationNeedsPermissionsAndExpiry() {
        let builder = BlobSASBuilder(container: "c", permissions: BlobSASPermissions(), expiresOn: nil)
        #expect(throws: AzureError.self) { try builder.sign(with: key, accountName: "acct") }
    }

    @Test func olderLayoutHas24Fields() throws {
        var builder = BlobSASBuilder(
            container: "c",
            permissions: .list,
            expiresOn: AzureISODate.parse("2024-01-02T00:00:00Z")
        )
        builder.version = "2022-11-02"
        #expect(
            builder.userDelegationStringToSign(accountName: "acct", key: key).split(
                separator: "\n",
                omittingEmptySubsequences: false
            ).count == 24
        )
        builder.version = "2019-12-12"
        #expect(throws: AzureError.self) { try builder.sign(with: key, accountName: "acct") }
    }

    @Test func decodesKeyBody() throws {
        let body =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><UserDelegationKey><SignedOid>o</SignedOid><SignedTid>t</SignedTid><SignedStart>2024-01-01T00:00:00Z</SignedStart><SignedExpiry>2024-01-07T00:00:00Z</SignedExpiry><SignedService>b</SignedService><SignedVersion>2021-12-02</SignedVersion><Value>a2V5</Value></UserDelegationKey>"
        let decoded = try UserDelegationKey.decode(body.withBOM)
        #expect(decoded.signedObjectID == "o")
        #expect(decoded.value == "a2V5")
    }
}
