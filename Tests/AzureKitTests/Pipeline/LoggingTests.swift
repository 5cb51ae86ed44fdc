import AzureKit
import Foundation
import Logging
import NIOHTTP1
import Testing

@Suite struct LoggingTests {
    @Test func requestAndResponseCarryIDsAndNoSecrets() async throws {
        let recorder = LogRecorder()
        try await TestHTTPServer.Handling { _, index in
            index == 0
                ? TestResponse(
                    status: .serviceUnavailable,
                    headers: HTTPHeaders([("x-ms-request-id", "srv-0")]),
                    text: ""
                )
                : TestResponse(headers: HTTPHeaders([("x-ms-request-id", "srv-1")]), text: "ok")
        }.run { server in
            try await withTestClient { client in
                let request = AzureHTTPRequest(
                    method: .GET,
                    url: URL(string: server.baseURL + "/c/b?sv=2022-11-02&sig=supersecret")!
                )
                _ = try await client.executeBuffered(
                    request,
                    operation: "blob.get",
                    authorizer: nil,
                    logger: recorder.logger
                )
            }
        }
        let records = recorder.records
        #expect(records.allSatisfy { record in !record.metadata.description.contains("supersecret") })
        let sent = try #require(records.first { $0.message == "Azure request" })
        #expect(sent.metadata["http.url"]?.description.contains("sig=REDACTED") == true)
        #expect(sent.metadata["azure.client_request_id"] != nil)
        #expect(sent.level == .debug)
        let retry = try #require(records.first { $0.message == "Azure request retry" })
        #expect(retry.metadata["azure.request_id"] == "srv-0")
        #expect(retry.level == .trace)
        let answered = try #require(records.first { $0.message == "Azure response" })
        #expect(answered.metadata["azure.request_id"] == "srv-1")
        #expect(answered.metadata["http.status"]?.description == "200")
        #expect(answered.metadata["azure.client_request_id"] == sent.metadata["azure.client_request_id"])
    }
}
