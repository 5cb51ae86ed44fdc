import AsyncHTTPClient
import AzureKit
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

@testable import LocalCloud

/// A LocalCloud started on a free port over a temporary data folder, with an HTTPS client trusting its CA.
struct TestCloud {
    /// A response as tests see it.
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        var json: AzureJSON? { try? AzureJSON(parsing: Data(body)) }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
        /// The `x-ms-error-code` or the ARM `error.code`.
        var errorCode: String? { header("x-ms-error-code") ?? json?["error"]?["code"]?.stringValue }
    }

    let cloud: LocalCloud
    let endpoints: Endpoints
    let client: HTTPClient
    let folder: URL

    /// Starts a cloud (on an existing folder to test restarts) and runs `body`, always shutting down.
    static func with<T>(folder: URL? = nil, _ body: (TestCloud) async throws -> T) async throws -> T {
        let directory =
            folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("lc-test-\(UUID().uuidString)")
        let cloud = try LocalCloud(
            configuration: .init(dataDirectory: directory),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        defer { if folder == nil { try? FileManager.default.removeItem(at: directory) } }
        return try await cloud.withRunning { endpoints in
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(endpoints.caCertificate))
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            let test = TestCloud(cloud: cloud, endpoints: endpoints, client: client, folder: directory)
            do {
                let result = try await body(test)
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    /// Sends a request.
    func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws
        -> Reply
    {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 256 * 1024 * 1024)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), headers: headers, body: Array(collected.readableBytesView))
    }

    /// A token for `scope` from the token endpoint.
    func token(scope: String = "https://management.azure.com/.default") async throws -> String {
        let form =
            "grant_type=client_credentials&client_id=\(endpoints.clientId)&client_secret=\(Self.formEncode(endpoints.clientSecret))&scope=\(Self.formEncode(scope))"
        let reply = try await send(
            .POST,
            "\(endpoints.authorityHost)/\(endpoints.tenantId)/oauth2/v2.0/token",
            headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array(form.utf8)
        )
        guard let token = reply.json?["access_token"]?.stringValue else {
            throw LocalCloudError(.state, "No token: \(reply.status) \(reply.text)")
        }
        return token
    }

    /// An ARM request with a fresh token.
    func arm(
        _ method: HTTPMethod,
        _ path: String,
        apiVersion: String? = "2023-05-01",
        body: AzureJSON? = nil,
        token: String? = nil
    ) async throws -> Reply {
        let bearer: String
        if let token { bearer = token } else { bearer = try await self.token() }
        var url = endpoints.resourceManager + path.dropFirst()
        if let apiVersion { url += (path.contains("?") ? "&" : "?") + "api-version=\(apiVersion)" }
        var headers = [("Authorization", "Bearer \(bearer)")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return try await send(method, url, headers: headers, body: body.map { Array($0.serialized()) })
    }

    /// Polls a `Location` URL until it stops answering 202.
    func poll(_ location: String) async throws -> Reply {
        let token = try await self.token()
        for _ in 0..<3000 {
            let reply = try await send(.GET, location, headers: [("Authorization", "Bearer \(token)")])
            if reply.status != 202 { return reply }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw LocalCloudError(.state, "The operation did not finish.")
    }

    /// Creates a resource group and a storage account (waiting for the LRO) and returns the account key.
    func makeAccount(_ name: String, group: String = "rg1", publicNetworkAccess: String = "Enabled") async throws
        -> String
    {
        let sub = endpoints.subscriptionId
        _ = try await arm(
            .PUT,
            "/subscriptions/\(sub)/resourcegroups/\(group)",
            apiVersion: "2021-04-01",
            body: ["location": "westeurope"]
        )
        let body: AzureJSON = [
            "location": "westeurope", "kind": "StorageV2", "sku": ["name": "Standard_LRS"],
            "properties": ["publicNetworkAccess": .string(publicNetworkAccess)],
        ]
        let created = try await arm(
            .PUT,
            "/subscriptions/\(sub)/resourceGroups/\(group)/providers/Microsoft.Storage/storageAccounts/\(name)",
            body: body
        )
        if let location = created.header("location") { _ = try await poll(location) }
        let keys = try await arm(
            .POST,
            "/subscriptions/\(sub)/resourceGroups/\(group)/providers/Microsoft.Storage/storageAccounts/\(name)/listKeys"
        )
        guard let key = keys.json?["keys"]?.arrayValue?.first?["value"]?.stringValue else {
            throw LocalCloudError(.state, "No keys: \(keys.text)")
        }
        return key
    }

    static func formEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
