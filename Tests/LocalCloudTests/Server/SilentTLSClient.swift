import AzureKit
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A TLS client that sends one HTTP/1.1 request on a keep-alive connection, waits for the answer's head and then
/// stops reading: like an idle pooled connection whose owner never answers the server's `close_notify`.
struct SilentTLSClient {
    let channel: any Channel

    /// Connects to `127.0.0.1:port`, trusting the PEM CA at `caPath`, sends `GET path` and waits for the head.
    static func connect(port: Int, caPath: String, path: String) async throws -> SilentTLSClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caPath))
        let context = try NIOSSLContext(configuration: tls)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let answered = eventLoop.makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        try NIOSSLClientHandler(context: context, serverHostname: "localhost")
                    )
                    try channel.pipeline.syncOperations.addHandler(HeadWaiter(answered: answered))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: keep-alive\r\n\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: request)).get()
        try await answered.futureResult.get()
        try await channel.setOption(ChannelOptions.autoRead, value: false).get()
        return SilentTLSClient(channel: channel)
    }

    /// Whether the server has closed the connection.
    var isClosed: Bool { !channel.isActive }

    func close() async {
        try? await channel.close().get()
    }
}

/// Fulfils `answered` once a response head has arrived.
private final class HeadWaiter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let answered: EventLoopPromise<Void>
    private var received = ""
    private var done = false

    init(answered: EventLoopPromise<Void>) { self.answered = answered }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received += buffer.readString(length: buffer.readableBytes) ?? ""
        if !done, received.contains("\r\n\r\n") {
            done = true
            answered.succeed()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done {
            done = true
            answered.fail(ChannelError.inputClosed)
        }
        context.fireChannelInactive()
    }
}
