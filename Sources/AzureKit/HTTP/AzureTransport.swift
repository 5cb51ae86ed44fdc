/// The last stage of the pipeline: sends a request and returns the response with a streamed body.
///
/// ``AsyncHTTPClientTransport`` is the production implementation.
public protocol AzureTransport: Sendable {
    /// Sends `request`, waiting at most `timeout` for the response head.
    func send(_ request: AzureHTTPRequest, timeout: Duration) async throws -> AzureHTTPResponse

    /// Releases connections and threads the transport owns.
    func shutdown() async throws
}
