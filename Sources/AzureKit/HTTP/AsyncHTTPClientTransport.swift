import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The production transport, built on AsyncHTTPClient.
///
/// Either borrows an `HTTPClient` the caller owns (``Provider/shared(_:)``) or creates its own
/// (``Provider/createNew``), which ``shutdown()`` then shuts down. Call ``shutdown()`` exactly once.
public final class AsyncHTTPClientTransport: AzureTransport {
    /// Who owns the underlying `HTTPClient`.
    public enum Provider: Sendable {
        /// Use a client owned (and shut down) by the caller.
        case shared(HTTPClient)
        /// Create a client for this transport; it is shut down by ``AsyncHTTPClientTransport/shutdown()``.
        case createNew
    }

    /// Connection settings for a client the transport creates.
    public struct Configuration: Sendable {
        /// PEM text of extra certificate authorities to trust besides the system ones
        /// (LocalCloud's self-made CA, or a corporate proxy's).
        public var extraTrustedCAPEM: String?
        /// How long to wait for a TCP/TLS connection.
        public var connectTimeout: Duration
        /// How long a connection may stay silent while reading a response.
        public var readTimeout: Duration

        /// Creates a configuration; defaults: no extra CA, 10 s connect, 120 s read.
        public init(
            extraTrustedCAPEM: String? = nil,
            connectTimeout: Duration = .seconds(10),
            readTimeout: Duration = .seconds(120)
        ) {
            self.extraTrustedCAPEM = extraTrustedCAPEM
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
        }
    }

    let client: HTTPClient
    let ownsClient: Bool

    /// Creates a transport.
    /// - Throws: ``AzureError`` with code ``AzureError/Code/configuration`` if the extra CA is not valid PEM.
    public init(provider: Provider = .createNew, configuration: Configuration = Configuration()) throws {
        switch provider {
        case .shared(let client):
            self.client = client
            self.ownsClient = false
        case .createNew:
            var tls = TLSConfiguration.makeClientConfiguration()
            if let pem = configuration.extraTrustedCAPEM {
                do {
                    let certificates = try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))
                    guard !certificates.isEmpty else {
                        throw AzureError(.configuration, message: "The extra trusted CA PEM holds no certificate.")
                    }
                    tls.additionalTrustRoots = [.certificates(certificates)]
                } catch let error as AzureError {
                    throw error
                } catch {
                    throw AzureError(
                        .configuration,
                        message: "The extra trusted CA is not valid PEM; check the CA certificate file.",
                        underlying: error
                    )
                }
            }
            var config = HTTPClient.Configuration(
                tlsConfiguration: tls,
                timeout: .init(
                    connect: .nanoseconds(configuration.connectTimeout.nanoseconds),
                    read: .nanoseconds(configuration.readTimeout.nanoseconds)
                )
            )
            config.decompression = .disabled
            config.redirectConfiguration = .disallow
            self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
            self.ownsClient = true
        }
    }

    /// Sends `request` and returns the response head with a streamed body.
    public func send(_ request: AzureHTTPRequest, timeout: Duration) async throws -> AzureHTTPResponse {
        var clientRequest = HTTPClientRequest(url: request.url.absoluteString)
        clientRequest.method = request.method
        clientRequest.headers = request.headers
        if request.body.length > 0 || [.PUT, .POST, .PATCH].contains(request.method) {
            clientRequest.body = request.body.clientBody
        }
        let resource = "\(request.method) \(request.redactedURL)"
        let response: HTTPClientResponse
        do {
            response = try await client.execute(clientRequest, timeout: .nanoseconds(timeout.nanoseconds))
        } catch let error as CancellationError {
            throw error
        } catch {
            throw AzureError(
                .transport,
                message: "The request could not be completed: \(error); check the endpoint and network.",
                resource: resource,
                underlying: TransportFailure(
                    description: String(describing: error),
                    isConnectFailure: Self.isConnectFailure(error)
                )
            )
        }
        let length =
            request.method == .HEAD ? nil : response.headers.first(name: "content-length").flatMap { Int64($0) }
        return AzureHTTPResponse(
            status: response.status,
            headers: response.headers,
            body: AzureResponseBody(storage: .client(response.body), expectedLength: length, resource: resource)
        )
    }

    /// Shuts the transport down (the client only when this transport created it).
    public func shutdown() async throws {
        if ownsClient { try await client.shutdown() }
    }

    static func isConnectFailure(_ error: any Error) -> Bool {
        if let clientError = error as? HTTPClientError, clientError == .connectTimeout { return true }
        let text = String(describing: error)
        return text.contains("connectionRefused") || text.contains("Connection refused")
            || text.contains("connectTimeout")
    }
}
