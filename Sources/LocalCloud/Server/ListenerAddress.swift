import NIOCore

/// A local socket address LocalCloud listens on: an IPv4 loopback host and a port.
public struct ListenerAddress: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The dotted IPv4 address, e.g. `127.0.0.1`.
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// The address of a socket, or `nil` when it has no IP address or port.
    public init?(socketAddress: SocketAddress) {
        guard let host = socketAddress.ipAddress, let port = socketAddress.port else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String { "\(host):\(port)" }
}
