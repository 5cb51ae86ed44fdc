import AzureKit
import Foundation
import NIOHTTP1
import Testing

/// Message bodies shaped like Azure/azure-sdk-for-python
/// `sdk/storage/azure-storage-queue/tests/recordings/test_queue.test_get_messages.yaml`,
/// `test_queue.test_peek_messages.yaml` and `test_queue.test_update_message.yaml` (values changed).
@Suite struct QueueClientTests {
    static let received = """
        <?xml version="1.0" encoding="utf-8"?><QueueMessagesList><QueueMessage><MessageId>6b8f2a1c-7e2d-4c7a-9d51-3f0e4a2b1c00</MessageId><InsertionTime>Sat, 22 Jun 2019 20:13:16 GMT</InsertionTime><ExpirationTime>Sat, 29 Jun 2019 20:13:16 GMT</ExpirationTime><PopReceipt>AgAAAAMAAAAAAAAAxyz==</PopReceipt><TimeNextVisible>Sat, 22 Jun 2019 20:13:46 GMT</TimeNextVisible><DequeueCount>1</DequeueCount><MessageText>{"job":"b&amp;r"}</MessageText></QueueMessage></QueueMessagesList>
        """

    func queueClient(_ client: AzureClient, _ server: TestHTTPServer) throws -> QueueClient {
        let credential = try StorageSharedKeyCredential(accountName: "devstoreaccount1", accountKey: emulatorKey)
        return QueueClient(
            client: client,
            endpoint: URL(string: server.baseURL + "/devstoreaccount1")!,
            authorization: .sharedKey(credential)
        )
    }

    @Test func decodesReceivedMessages() throws {
        let messages = try QueueClient.decodeMessages(Self.received.withBOM)
        let message = try #require(messages.first)
        #expect(message.id == "6b8f2a1c-7e2d-4c7a-9d51-3f0e4a2b1c00")
        #expect(message.text == #"{"job":"b&r"}"#)
        #expect(message.popReceipt == "AgAAAAMAAAAAAAAAxyz==")
        #expect(message.dequeueCount == 1)
        #expect(message.timeNextVisible == AzureHTTPDate.parse("Sat, 22 Jun 2019 20:13:46 GMT"))
        #expect(
            try QueueClient.decodeMessages(#"<?xml version="1.0" encoding="utf-8"?><QueueMessagesList />"#.withBOM)
                .isEmpty
        )
    }

    @Test func rejectsOversizedMessageBeforeSending() async throws {
        try await TestHTTPServer.Handling({ _, _ in TestResponse(status: .created, text: "") }).run { server in
            try await withTestClient { client in
                let queues = try queueClient(client, server)
                let error = await #expect(throws: AzureError.self) {
                    try await queues.putMessage(
                        queue: "jobs",
                        text: String(repeating: "x", count: 65_537),
                        logger: testLogger
                    )
                }
                #expect(error?.code == .invalidRequest)
                #expect(error?.description.contains("jobs") == true)
                // Escaping counts: 20,000 ampersands become 100,000 bytes.
                await #expect(throws: AzureError.self) {
                    try await queues.putMessage(
                        queue: "jobs",
                        text: String(repeating: "&", count: 20_000),
                        logger: testLogger
                    )
                }
            }
            #expect(server.requests.isEmpty)
        }
    }

    /// Put Message takes `messagettl` ≥ 1 or -1 and a `visibilitytimeout` shorter than it; Get
    /// Messages takes a `visibilitytimeout` of 1 second to 7 days (learn.microsoft.com/rest/api/storageservices
    /// put-message and get-messages, "URI parameters"). Each is refused before sending.
    @Test func refusesTimeoutsTheServiceRejects() async throws {
        try await TestHTTPServer.Handling({ _, _ in TestResponse(status: .created, text: "") }).run { server in
            try await withTestClient { client in
                let queues = try queueClient(client, server)
                let zeroVisibility = await #expect(throws: AzureError.self) {
                    _ = try await queues.getMessages(queue: "jobs", visibilityTimeout: .zero, logger: testLogger)
                }
                #expect(zeroVisibility?.code == .invalidRequest)
                await #expect(throws: AzureError.self) {
                    try await queues.putMessage(queue: "jobs", text: "x", timeToLive: .zero, logger: testLogger)
                }
                await #expect(throws: AzureError.self) {
                    try await queues.putMessage(
                        queue: "jobs",
                        text: "x",
                        visibilityTimeout: .seconds(60),
                        timeToLive: .seconds(60),
                        logger: testLogger
                    )
                }
                await #expect(throws: AzureError.self) {
                    try await queues.putMessage(
                        queue: "jobs",
                        text: "x",
                        visibilityTimeout: QueueClient.maxVisibilityTimeout,
                        logger: testLogger
                    )
                }
            }
            #expect(server.requests.isEmpty)
        }
    }

    /// Base64 makes 4 characters of every 3 bytes: 49,152 bytes fill the 64 KiB message exactly,
    /// one byte more does not fit.
    @Test func base64MessagesAreSizedByTheirEncodedForm() async throws {
        try await TestHTTPServer.Handling({ _, _ in TestResponse(status: .created, body: Self.received.withBOM) }).run {
            server in
            try await withTestClient { client in
                let queues = try queueClient(client, server)
                let payload = [UInt8](repeating: 0xA5, count: QueueClient.maxBase64MessageBytes)
                try await queues.putMessage(queue: "jobs", data: payload, logger: testLogger)
                let error = await #expect(throws: AzureError.self) {
                    try await queues.putMessage(queue: "jobs", data: payload + [0], logger: testLogger)
                }
                #expect(error?.code == .invalidRequest)
            }
            #expect(server.requests.count == 1)
            let body = String(decoding: try #require(server.requests.first).body, as: UTF8.self)
            let text = try #require(
                body.split(separator: "<MessageText>").last?.split(separator: "</MessageText>").first
            )
            #expect(text.utf8.count == QueueClient.maxMessageBytes)
            let message = QueueMessage(id: "m", text: String(text))
            #expect(message.base64Data == Data(repeating: 0xA5, count: QueueClient.maxBase64MessageBytes))
        }
    }

    @Test func putGetUpdateDeleteRequestShapes() async throws {
        try await TestHTTPServer.Handling({ request, _ in
            switch request.method {
            case .POST: return TestResponse(status: .created, body: Self.received.withBOM)
            case .GET: return TestResponse(body: Self.received.withBOM)
            case .PUT:
                return TestResponse(
                    status: .noContent,
                    headers: HTTPHeaders([
                        ("x-ms-popreceipt", "newreceipt"), ("x-ms-time-next-visible", "Sat, 22 Jun 2019 20:20:00 GMT"),
                    ])
                )
            default: return TestResponse(status: .noContent)
            }
        }).run { server in
            try await withTestClient { client in
                let queues = try queueClient(client, server)
                let put = try await queues.putMessage(
                    queue: "jobs",
                    text: "a<b",
                    visibilityTimeout: .seconds(5),
                    timeToLive: QueueClient.infiniteTimeToLive,
                    logger: testLogger
                )
                #expect(put.popReceipt != nil)
                let got = try await queues.getMessages(
                    queue: "jobs",
                    count: 32,
                    visibilityTimeout: .seconds(60),
                    logger: testLogger
                )
                #expect(got.count == 1)
                _ = try await queues.peekMessages(queue: "jobs", count: 2, logger: testLogger)
                let receipt = try await queues.updateMessage(
                    queue: "jobs",
                    id: "m1",
                    popReceipt: "r+1",
                    visibilityTimeout: .seconds(30),
                    text: "new",
                    logger: testLogger
                )
                #expect(receipt.popReceipt == "newreceipt")
                try await queues.deleteMessage(queue: "jobs", id: "m1", popReceipt: "newreceipt", logger: testLogger)
                await #expect(throws: AzureError.self) {
                    _ = try await queues.getMessages(queue: "jobs", count: 33, logger: testLogger)
                }
            }
            let requests = server.requests
            #expect(requests.count == 5)
            #expect(requests[0].query == "visibilitytimeout=5&messagettl=-1")
            #expect(String(decoding: requests[0].body, as: UTF8.self).contains("<MessageText>a&lt;b</MessageText>"))
            #expect(requests[1].query == "numofmessages=32&visibilitytimeout=60")
            #expect(requests[2].query == "peekonly=true&numofmessages=2")
            #expect(requests[3].path == "/devstoreaccount1/jobs/messages/m1")
            #expect(requests[3].query == "popreceipt=r%2B1&visibilitytimeout=30")
            #expect(requests[4].method == .DELETE)
        }
    }
}
