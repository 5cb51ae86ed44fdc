import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A request as the test server saw it.
struct RecordedRequest: Sendable {
    var method: HTTPMethod
    var uri: String
    var headers: HTTPHeaders
    var body: [UInt8]

    var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
    var query: String { uri.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? "" }
}

/// What the test server answers.
struct TestResponse: Sendable {
    var status: HTTPResponseStatus = .ok
    var headers: HTTPHeaders = [:]
    var body: [UInt8] = []
    /// Send only this many body bytes (after announcing the full length), then close.
    var truncateAfter: Int?
    /// Split the body into this many chunks with `chunkDelay` between them.
    var chunks: Int = 1
    var chunkDelay: Duration = .zero

    init(status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    init(status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }
}

/// An HTTP/1.1 server on 127.0.0.1 with a handler per request, for client behaviour tests.
final class TestHTTPServer: Sendable {
    typealias Handler = @Sendable (RecordedRequest, Int) async -> TestResponse

    let port: Int
    private let serverChannel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
    private let recorded = Mutex<[RecordedRequest]>([])
    private let handler: Handler

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var requests: [RecordedRequest] { recorded.withLock { $0 } }

    private init(
        channel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>,
        handler: @escaping Handler
    ) {
        self.serverChannel = channel
        self.port = channel.channel.localAddress?.port ?? 0
        self.handler = handler
    }

    /// A handler waiting to be served: `TestHTTPServer.Handling { request, index in … }.run { server in … }`.
    struct Handling: Sendable {
        let handler: Handler

        init(_ handler: @escaping Handler) {
            self.handler = handler
        }

        @discardableResult
        func run<T: Sendable>(_ body: @Sendable (TestHTTPServer) async throws -> T) async throws -> T {
            try await TestHTTPServer.with(handler: handler, body)
        }
    }

    /// Runs `body` with a server answering through `handler` (which also gets the 0-based request index).
    static func with<T: Sendable>(
        handler: @escaping Handler,
        _ body: @Sendable (TestHTTPServer) async throws -> T
    ) async throws -> T {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        let server = TestHTTPServer(channel: channel, handler: handler)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.acceptLoop() }
            defer { group.cancelAll() }
            let result = try await body(server)
            try? await channel.channel.close()
            return result
        }
    }

    private func acceptLoop() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await serverChannel.executeThenClose { inbound in
                for try await connection in inbound {
                    group.addTask { try? await self.serve(connection) }
                }
            }
        }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let value):
                    head = value
                    body = []
                case .body(let buffer):
                    body += buffer.readableBytesView
                case .end:
                    guard let head else { continue }
                    let request = RecordedRequest(method: head.method, uri: head.uri, headers: head.headers, body: body)
                    let index = recorded.withLock { list in
                        list.append(request)
                        return list.count - 1
                    }
                    let response = await handler(request, index)
                    var headers = response.headers
                    if !headers.contains(name: "content-length") {
                        headers.add(name: "Content-Length", value: String(response.body.count))
                    }
                    try await outbound.write(
                        .head(HTTPResponseHead(version: .http1_1, status: response.status, headers: headers))
                    )
                    if let cut = response.truncateAfter {
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body.prefix(cut)))))
                        return
                    }
                    let chunkSize = max(1, (response.body.count + response.chunks - 1) / max(response.chunks, 1))
                    var offset = 0
                    while offset < response.body.count {
                        if offset > 0, response.chunkDelay > .zero { try await Task.sleep(for: response.chunkDelay) }
                        let end = min(offset + chunkSize, response.body.count)
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body[offset..<end]))))
                        offset = end
                    }
                    try await outbound.write(.end(nil))
                }
            }
        }
    }
}
