import AzureKit
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@Suite struct RetryTests {
    func get(_ server: TestHTTPServer, _ path: String = "/c/b") -> AzureHTTPRequest {
        AzureHTTPRequest(method: .GET, url: URL(string: server.baseURL + path)!)
    }

    @Test func retries429HonouringRetryAfterThenSucceeds() async throws {
        let sleeper = SleepRecorder()
        try await TestHTTPServer.Handling({ _, index in
            index == 0
                ? TestResponse(status: .tooManyRequests, headers: HTTPHeaders([("Retry-After", "3")]), text: "")
                : TestResponse(headers: HTTPHeaders([("x-ms-request-id", "r-\(index)")]), text: "ok")
        }).run { server in
            try await withTestClient(sleeper: sleeper) { client in
                let (response, body) = try await client.executeBuffered(
                    get(server),
                    operation: "t",
                    authorizer: nil,
                    logger: testLogger
                )
                #expect(response.status == .ok)
                #expect(String(buffer: body) == "ok")
                #expect(response.requestID == "r-1")
            }
            #expect(server.requests.count == 2)
            let ids = server.requests.compactMap { $0.headers.first(name: "x-ms-client-request-id") }
            #expect(ids.count == 2)
            #expect(ids[0] == ids[1])
        }
        #expect(sleeper.recorded == [.seconds(3)])
    }

    @Test func retries503WithMillisecondHintAndBacksOffExponentially() async throws {
        let sleeper = SleepRecorder()
        try await TestHTTPServer.Handling({ _, index in
            switch index {
            case 0:
                TestResponse(
                    status: .serviceUnavailable,
                    headers: HTTPHeaders([("x-ms-retry-after-ms", "20")]),
                    text: ""
                )
            case 1, 2: TestResponse(status: .internalServerError, text: "")
            default: TestResponse(text: "done")
            }
        }).run { server in
            try await withTestClient(sleeper: sleeper) { client in
                _ = try await client.executeBuffered(get(server), operation: "t", authorizer: nil, logger: testLogger)
            }
            #expect(server.requests.count == 4)
        }
        // 100 ms base: attempt 0 max(100, 20) = 100 ms, then 200 ms, 400 ms.
        #expect(sleeper.recorded == [.milliseconds(100), .milliseconds(200), .milliseconds(400)])
    }

    @Test func givesUpAfterMaxRetriesWithTypedError() async throws {
        try await TestHTTPServer.Handling({ _, _ in
            TestResponse(
                status: .serviceUnavailable,
                headers: HTTPHeaders([
                    ("x-ms-error-code", "ServerBusy"), ("x-ms-request-id", "busy-1"),
                    ("Content-Type", "application/xml"),
                ]),
                body:
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code><Message>Ingress is over the account limit.\nRequestId:busy-1\nTime:2024-01-01T00:00:00Z</Message></Error>"
                    .withBOM
            )
        }).run { server in
            try await withTestClient { client in
                let error = await #expect(throws: AzureError.self) {
                    _ = try await client.executeBuffered(
                        get(server),
                        operation: "t",
                        authorizer: nil,
                        logger: testLogger
                    )
                }
                #expect(error?.status == 503)
                #expect(error?.azureCode == "ServerBusy")
                #expect(error?.message == "Ingress is over the account limit.")
                #expect(error?.requestID == "busy-1")
            }
            #expect(server.requests.count == 4)
        }
    }

    @Test func noRetryPolicyDoesNotRetry() async throws {
        try await TestHTTPServer.Handling({ _, _ in TestResponse(status: .serviceUnavailable, text: "") }).run {
            server in
            try await withTestClient(retryPolicy: .noRetry) { client in
                await #expect(throws: AzureError.self) {
                    _ = try await client.executeBuffered(
                        get(server),
                        operation: "t",
                        authorizer: nil,
                        logger: testLogger
                    )
                }
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func nonIdempotentPostIsRetriedOnlyWhenSafe() async throws {
        try await TestHTTPServer.Handling({ _, _ in TestResponse(status: .internalServerError, text: "") }).run {
            server in
            try await withTestClient { client in
                let post = AzureHTTPRequest(
                    method: .POST,
                    url: URL(string: server.baseURL + "/q/messages")!,
                    body: AzureHTTPBody(string: "x")
                )
                await #expect(throws: AzureError.self) {
                    _ = try await client.executeBuffered(post, operation: "t", authorizer: nil, logger: testLogger)
                }
            }
            #expect(server.requests.count == 1)
        }
        try await TestHTTPServer.Handling({ _, index in
            index == 0 ? TestResponse(status: .tooManyRequests, text: "") : TestResponse(status: .created, text: "")
        }).run { server in
            try await withTestClient { client in
                let post = AzureHTTPRequest(
                    method: .POST,
                    url: URL(string: server.baseURL + "/q/messages")!,
                    body: AzureHTTPBody(string: "x")
                )
                let (response, _) = try await client.executeBuffered(
                    post,
                    operation: "t",
                    authorizer: nil,
                    logger: testLogger
                )
                #expect(response.status == .created)
            }
            #expect(server.requests.count == 2)
            #expect(server.requests.allSatisfy { $0.body == Array("x".utf8) })
        }
    }

    @Test func streamedBodyIsNeverReplayed() async throws {
        try await TestHTTPServer.Handling({ _, _ in TestResponse(status: .serviceUnavailable, text: "") }).run {
            server in
            try await withTestClient { client in
                let chunks = [ByteBuffer(string: "hello "), ByteBuffer(string: "world")]
                let stream = AsyncStream<ByteBuffer> { continuation in
                    for chunk in chunks { continuation.yield(chunk) }
                    continuation.finish()
                }
                let request = AzureHTTPRequest(
                    method: .PUT,
                    url: URL(string: server.baseURL + "/c/b")!,
                    body: .stream(stream, length: 11)
                )
                let error = await #expect(throws: AzureError.self) {
                    _ = try await client.execute(request, operation: "t", authorizer: nil, logger: testLogger)
                }
                #expect(error?.status == 503)
            }
            #expect(server.requests.count == 1)
            #expect(server.requests.first?.body == Array("hello world".utf8))
        }
    }

    @Test func truncatedBodySurfacesAsTypedErrorAndBufferedReadsRetry() async throws {
        try await TestHTTPServer.Handling({ _, index in
            var response = TestResponse(text: String(repeating: "a", count: 1000))
            if index == 0 { response.truncateAfter = 400 }
            return response
        }).run { server in
            try await withTestClient { client in
                let (_, body) = try await client.executeBuffered(
                    get(server),
                    operation: "t",
                    authorizer: nil,
                    logger: testLogger
                )
                #expect(body.readableBytes == 1000)
            }
            #expect(server.requests.count == 2)
        }
        try await TestHTTPServer.Handling({ _, _ in
            var response = TestResponse(text: String(repeating: "b", count: 1000))
            response.truncateAfter = 10
            return response
        }).run { server in
            try await withTestClient { client in
                let response = try await client.execute(
                    get(server),
                    operation: "t",
                    authorizer: nil,
                    logger: testLogger
                )
                let error = await #expect(throws: AzureError.self) {
                    for try await _ in response.body {}
                }
                #expect(error?.code == .truncatedBody)
            }
        }
    }

    @Test func slowBodyArrivesInChunks() async throws {
        try await TestHTTPServer.Handling({ _, _ in
            var response = TestResponse(body: [UInt8](repeating: 7, count: 64 * 1024))
            response.chunks = 4
            response.chunkDelay = .milliseconds(30)
            return response
        }).run { server in
            try await withTestClient { client in
                let response = try await client.execute(
                    get(server),
                    operation: "t",
                    authorizer: nil,
                    logger: testLogger
                )
                var total = 0
                for try await chunk in response.body { total += chunk.readableBytes }
                #expect(total == 64 * 1024)
            }
        }
    }

    @Test func connectionRefusedIsATransportErrorRetried() async throws {
        let sleeper = SleepRecorder()
        // A refused connection is retried by the connection pool until the connect timeout; keep it short.
        try await withTestClient(sleeper: sleeper, connectTimeout: .seconds(1)) { client in
            let request = AzureHTTPRequest(method: .GET, url: URL(string: "http://127.0.0.1:1/nothing")!)
            let error = await #expect(throws: AzureError.self) {
                _ = try await client.execute(request, operation: "t", authorizer: nil, logger: testLogger)
            }
            #expect(error?.code == .transport)
        }
        #expect(sleeper.recorded.count == 3)
    }

    @Test func cancellationStopsRetrying() async throws {
        try await TestHTTPServer.Handling({ _, _ in TestResponse(status: .serviceUnavailable, text: "") }).run {
            server in
            let transport = try AsyncHTTPClientTransport()
            let sleeping = Mutex(false)
            let client = AzureClient(
                transport: transport,
                retryPolicy: .exponential(base: .seconds(30), maxRetries: 10),
                options: .init(sleep: { duration in
                    sleeping.withLock { $0 = true }
                    try await Task.sleep(for: duration)
                })
            )
            let task = Task {
                try await client.executeBuffered(get(server), operation: "t", authorizer: nil, logger: testLogger)
            }
            // Cancel once the first attempt failed and the client is waiting 30 s to retry (waiting
            // for that condition, however long a loaded machine takes, up to a minute).
            for _ in 0..<1200 where !sleeping.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(50)) }
            #expect(sleeping.withLock { $0 })
            task.cancel()
            let result = await task.result
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(server.requests.count == 1)
            try await client.shutdown()
        }
    }

    @Test func jitterStaysWithinCeilingAndUsesRetryAfter() {
        let policy = AzureRetryPolicy.jitter(base: .seconds(1), maxRetries: 2, random: { 0.5 }).policy
        let plain = AzureError(.service, status: 503, message: "busy")
        #expect(policy.retryStatus(for: plain, attempt: 0) == .retry(wait: .milliseconds(500)))
        #expect(policy.retryStatus(for: plain, attempt: 1) == .retry(wait: .seconds(1)))
        #expect(policy.retryStatus(for: plain, attempt: 2) == .dontRetry)
        let hinted = AzureError(.service, status: 429, message: "slow down", retryAfter: .seconds(7))
        #expect(policy.retryStatus(for: hinted, attempt: 0) == .retry(wait: .seconds(7)))
    }
}
