import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A client for Azure Resource Manager: authorized JSON requests, long-running operations and
/// `nextLink` paging. Typed operations (resource groups, compute, network, storage) are extensions.
public struct ARMClient: Sendable {
    /// The HTTP client.
    public let client: AzureClient
    /// Where Resource Manager lives and the token scope.
    public let environment: AzureEnvironment
    /// The subscription typed operations work in.
    public let subscriptionID: String
    /// How often to poll a long-running operation when the service gives no `Retry-After`.
    public var pollInterval: Duration
    /// The longest wait for a long-running operation.
    public var operationTimeout: Duration
    let authorizer: BearerTokenAuthorizer

    /// Creates a client.
    public init(
        client: AzureClient,
        environment: AzureEnvironment,
        credential: any TokenCredential,
        subscriptionID: String,
        pollInterval: Duration = .seconds(5),
        operationTimeout: Duration = .seconds(3600)
    ) {
        self.client = client
        self.environment = environment
        self.subscriptionID = subscriptionID
        self.pollInterval = pollInterval
        self.operationTimeout = operationTimeout
        self.authorizer = BearerTokenAuthorizer(credential: credential, scope: environment.resourceManagerScope)
    }

    /// The URL of an ARM path (starting with `/subscriptions/…`) with `api-version` and extra query.
    public func url(path: String, apiVersion: String, query: [(String, String)] = []) -> URL {
        var base = environment.resourceManager.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let encodedPath = URLEncoding.encodePath(path.hasPrefix("/") ? path : "/" + path)
        return URL(string: base + encodedPath + "?" + URLEncoding.query([("api-version", apiVersion)] + query))
            ?? environment.resourceManager
    }

    /// Sends one request to `url` and returns the buffered response (2xx only; errors throw).
    /// - Parameter isIdempotent: Whether a retry is harmless; by default every method but POST.
    ///   Read-only POST actions such as listKeys pass `true`.
    public func send(
        _ method: HTTPMethod,
        url: URL,
        body: (any Encodable & Sendable)? = nil,
        isIdempotent: Bool? = nil,
        operation: String,
        logger: Logger
    ) async throws -> ARMResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: "application/json")
        var requestBody = AzureHTTPBody.empty
        if let body {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            requestBody = AzureHTTPBody(bytes: try encoder.encode(body))
            headers.add(name: "Content-Type", value: "application/json")
        }
        let request = AzureHTTPRequest(
            method: method,
            url: url,
            headers: headers,
            body: requestBody,
            isIdempotent: isIdempotent
        )
        let result = try await client.executeBuffered(
            request,
            operation: operation,
            authorizer: authorizer,
            logger: logger
        )
        return ARMResponse(
            status: Int(result.response.status.code),
            headers: result.response.headers,
            body: Array(result.body.readableBytesView)
        )
    }

    /// GETs a resource and decodes it.
    /// - Throws: ``AzureError`` (404 `ResourceNotFound`, ...).
    public func get<T: Decodable>(_ type: T.Type = T.self, path: String, apiVersion: String, logger: Logger)
        async throws -> T
    {
        let response = try await send(
            .GET,
            url: url(path: path, apiVersion: apiVersion),
            operation: "arm.get",
            logger: logger
        )
        return try response.decode(T.self, resource: path)
    }

    /// GETs a resource, or returns `nil` on 404.
    public func getIfExists<T: Decodable>(_ type: T.Type = T.self, path: String, apiVersion: String, logger: Logger)
        async throws -> T?
    {
        do {
            return try await get(T.self, path: path, apiVersion: apiVersion, logger: logger)
        } catch let error as AzureError where error.isNotFound {
            return nil
        }
    }

    /// Every element of a list (`{"value":[…],"nextLink":"…"}`), following `nextLink` lazily.
    public func list<T: Decodable & Sendable>(
        _ type: T.Type = T.self,
        path: String,
        apiVersion: String,
        query: [(String, String)] = [],
        logger: Logger
    )
        -> AzurePagedSequence<T>
    {
        let first = url(path: path, apiVersion: apiVersion, query: query)
        let client = self
        return AzurePagedSequence { next in
            let target = next.flatMap { URL(string: $0) } ?? first
            let response = try await client.send(.GET, url: target, operation: "arm.list", logger: logger)
            let page = try response.decode(ARMListPage<T>.self, resource: path)
            return AzurePage(elements: page.value, next: page.nextLink)
        }
    }
}

/// The shape of an ARM list answer.
struct ARMListPage<T: Decodable>: Decodable {
    var value: [T]
    var nextLink: String?
}
