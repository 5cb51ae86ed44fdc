/// Details of a transport failure, kept as the ``AzureError/underlying`` error.
public struct TransportFailure: Error, Sendable, CustomStringConvertible {
    /// The underlying client's description of the failure.
    public var description: String
    /// Whether the connection could not be opened at all (so the request was never sent).
    public var isConnectFailure: Bool
}
