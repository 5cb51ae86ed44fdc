import AzureKit
import Foundation
import NIOHTTP1
import Testing

/// Error bodies shaped like those in Microsoft SDK recordings: storage XML as in
/// Azure/azure-sdk-for-net `sdk/storage/Azure.Storage.Blobs/tests/SessionRecords/ManagedDiskTests/GetManagedDiskPageRangesDiffAsync_Error.json`
/// (416 InvalidRange with a BOM), ARM JSON as in Azure/azure-sdk-for-python
/// `sdk/compute/azure-mgmt-compute/tests/recordings/test_mgmt_managed_disks.test_grant_access.yaml`,
/// and Entra ID's documented `invalid_client` answer. Values are made up.
@Suite struct AzureErrorDecodingTests {
    @Test func storageXMLError() {
        let body =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>InvalidRange</Code><Message>The range specified is invalid for the current size of the resource.\nRequestId:7d1c0a52-601e-0045-2b3c-8a07ad000000\nTime:2021-08-05T20:15:52.3718828Z</Message></Error>"
        let headers = HTTPHeaders([
            ("x-ms-error-code", "InvalidRange"), ("x-ms-request-id", "7d1c0a52-601e-0045-2b3c-8a07ad000000"),
        ])
        let error = AzureError.decode(status: 416, headers: headers, body: body.withBOM, resource: "GET blob")
        #expect(error.code == .service)
        #expect(error.status == 416)
        #expect(error.azureCode == "InvalidRange")
        #expect(error.message == "The range specified is invalid for the current size of the resource.")
        #expect(error.requestID == "7d1c0a52-601e-0045-2b3c-8a07ad000000")
    }

    @Test func storageAuthenticationDetailIsKept() {
        let body =
            "<Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.\nRequestId:1</Message><AuthenticationErrorDetail>Signature did not match.</AuthenticationErrorDetail></Error>"
        let error = AzureError.decode(status: 403, headers: [:], body: Array(body.utf8), resource: nil)
        #expect(error.azureCode == "AuthenticationFailed")
        #expect(error.message.contains("Signature did not match."))
    }

    @Test func armJSONError() {
        let body =
            #"{"error":{"code":"ResourceGroupNotFound","message":"Resource group 'rg-missing' could not be found."}}"#
        let headers = HTTPHeaders([("x-ms-request-id", "a1"), ("x-ms-correlation-request-id", "c1")])
        let error = AzureError.decode(status: 404, headers: headers, body: Array(body.utf8), resource: nil)
        #expect(error.azureCode == "ResourceGroupNotFound")
        #expect(error.message == "Resource group 'rg-missing' could not be found.")
        #expect(error.requestID == "a1")
        #expect(error.isNotFound)
    }

    @Test func entraIDError() {
        let body =
            #"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x","error_codes":[7000215]}"#
        let error = AzureError.decode(status: 401, headers: [:], body: Array(body.utf8), resource: nil)
        #expect(error.azureCode == "invalid_client")
        #expect(error.message == "AADSTS7000215: Invalid client secret provided.")
    }

    @Test func unknownShapeFallsBackToHeaderAndText() {
        let error = AzureError.decode(
            status: 502,
            headers: HTTPHeaders([("x-ms-error-code", "ServerBusy")]),
            body: Array("<html>Bad gateway</html>".utf8),
            resource: nil
        )
        #expect(error.azureCode == "ServerBusy")
        #expect(error.message.contains("Bad gateway"))
        let empty = AzureError.decode(status: 503, headers: [:], body: [], resource: nil)
        #expect(empty.message.contains("503"))
    }

    @Test func retryAfterForms() {
        #expect(AzureError.retryAfter(from: HTTPHeaders([("Retry-After", "17")])) == .seconds(17))
        #expect(
            AzureError.retryAfter(from: HTTPHeaders([("x-ms-retry-after-ms", "250"), ("Retry-After", "9")]))
                == .milliseconds(250)
        )
        let now = Date(timeIntervalSince1970: 1_572_026_376)
        let date = HTTPHeaders([("Retry-After", "Fri, 25 Oct 2019 17:59:46 GMT")])
        #expect(AzureError.retryAfter(from: date, now: now) == .seconds(10))
        #expect(AzureError.retryAfter(from: HTTPHeaders([("Retry-After", "soon")])) == nil)
    }
}
