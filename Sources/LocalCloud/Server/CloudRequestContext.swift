import Hummingbird
import Logging
import NIOCore

/// The per-request context: which local address (listener) the request arrived on, and the peer's address.
///
/// The local address is what the private-network rules use: a private endpoint is a listener on its own loopback
/// address, so a request that arrived there came "through" that private endpoint.
public struct CloudRequestContext: RequestContext {
    /// Hummingbird's own storage.
    public var coreContext: CoreRequestContextStorage
    /// The local address the request arrived on.
    public let localAddress: ListenerAddress?
    /// The remote peer's address.
    public let remoteAddress: ListenerAddress?
    private let channel: any Channel

    /// Creates the context for a request arriving on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        localAddress = source.channel.localAddress.flatMap(ListenerAddress.init(socketAddress:))
        remoteAddress = source.channel.remoteAddress.flatMap(ListenerAddress.init(socketAddress:))
    }

    /// Request bodies that are decoded whole (JSON, XML) may be at most this large; data is streamed.
    public var maxUploadSize: Int { 8 * 1024 * 1024 }

    /// Closes the connection without a response (fault injection: dropped connections).
    func dropConnection() {
        channel.close(mode: .all, promise: nil)
    }
}
