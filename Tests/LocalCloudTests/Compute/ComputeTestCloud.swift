import AsyncHTTPClient
import AzureKit
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

@testable import LocalCloud

/// A LocalCloud started in a temporary folder, with an HTTPS client that trusts its CA and a management token:
/// the compute, disk and network tests talk to it over real loopback HTTP.
final class ComputeTestCloud: Sendable {
    let folder: TemporaryFolder
    let cloud: LocalCloud
    let running: RunningCloud
    let client: HTTPClient
    let token: String
    let subscription: String
    let base: String

    /// A response: status, headers and body.
    struct Reply: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data

        var json: AzureJSON? { try? AzureJSON(parsing: body) }
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    private init(folder: TemporaryFolder, running: RunningCloud, client: HTTPClient, token: String, base: String) {
        self.folder = folder
        self.cloud = running.cloud
        self.running = running
        self.client = client
        self.token = token
        self.subscription = cloud.services.identity.settings.subscriptionIDs[0]
        self.base = base
    }

    static func start(in existing: TemporaryFolder? = nil) async throws -> ComputeTestCloud {
        let folder = try existing ?? TemporaryFolder("localcloud-compute")
        var configuration = LocalCloud.Configuration(
            dataDirectory: URL(fileURLWithPath: folder.path, isDirectory: true)
        )
        configuration.retryAfterSeconds = 0
        let cloud = try LocalCloud(configuration: configuration, logger: Logger(label: "test"))
        let running = try await RunningCloud.start(cloud)
        let endpoints = running.endpoints
        let settings = cloud.services.identity.settings
        let token = try cloud.services.identity.tokens.issue(
            clientID: settings.clientID,
            tenantID: settings.tenantID,
            audience: "https://management.azure.com/"
        ).token
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(
            try NIOSSLCertificate.fromPEMBytes(Array(cloud.services.authority.caCertificatePEM.utf8))
        )
        var clientConfiguration = HTTPClient.Configuration(tlsConfiguration: tls)
        clientConfiguration.timeout = .init(connect: .seconds(5), read: .seconds(60))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        var base = endpoints.resourceManager
        while base.hasSuffix("/") { base.removeLast() }
        return ComputeTestCloud(folder: folder, running: running, client: client, token: token, base: base)
    }

    func stop(keepingData: Bool = false) async {
        try? await client.shutdown()
        await running.shutdown()
        if !keepingData { folder.remove() }
    }

    /// Sends a request to a full URL.
    func send(
        _ method: HTTPMethod,
        url: String,
        headers: [String: String] = [:],
        body: Data? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 64 * 1024 * 1024)
        var replyHeaders: [String: String] = [:]
        for header in response.headers { replyHeaders[header.name] = header.value }
        return Reply(status: Int(response.status.code), headers: replyHeaders, body: Data(collected.readableBytesView))
    }

    /// Sends an authenticated ARM request to `path` (under the subscription when it starts with `/resourceGroups`).
    func arm(
        _ method: HTTPMethod,
        _ path: String,
        body: AzureJSON? = nil,
        apiVersion: String = "2024-03-02",
        query: String = ""
    ) async throws -> Reply {
        let full = path.hasPrefix("/subscriptions") ? path : "/subscriptions/\(subscription)\(path)"
        var headers = ["Authorization": "Bearer \(token)"]
        if body != nil { headers["Content-Type"] = "application/json" }
        return try await send(
            method,
            url: "\(base)\(full)?api-version=\(apiVersion)\(query)",
            headers: headers,
            body: body?.serialized()
        )
    }

    /// Follows an accepted operation's `Location` until it is done, returning the final reply.
    func finish(_ reply: Reply) async throws -> Reply {
        guard let location = reply.header("Location") else { return reply }
        for _ in 0..<3000 {
            let poll = try await send(.GET, url: location, headers: ["Authorization": "Bearer \(token)"])
            if poll.status != 202 { return poll }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw LocalCloudError(.state, "The operation at \(location) did not finish.")
    }

    /// Creates private endpoint `name` in resource group `group`, in `subnet`, to `target`'s sub-resource `groupId`.
    func privateEndpoint(
        _ group: String,
        _ name: String,
        subnet: String,
        target: String,
        groupId: String
    ) async throws -> Reply {
        try await arm(
            .PUT,
            id(group, "Microsoft.Network/privateEndpoints", name),
            body: [
                "location": "westeurope",
                "properties": [
                    "subnet": ["id": .string(subnet)],
                    "privateLinkServiceConnections": [
                        [
                            "name": .string(groupId),
                            "properties": ["privateLinkServiceId": .string(target), "groupIds": [.string(groupId)]],
                        ]
                    ],
                ],
            ],
            apiVersion: "2024-05-01"
        )
    }

    /// The ARM ID of a resource in group `group`.
    func id(_ group: String, _ type: String, _ name: String) -> String {
        "/subscriptions/\(subscription)/resourceGroups/\(group)/providers/\(type)/\(name)"
    }

    /// Creates a resource group.
    func group(_ name: String, location: String = "westeurope") async throws {
        _ = try await arm(
            .PUT,
            "/resourceGroups/\(name)",
            body: ["location": .string(location)],
            apiVersion: "2021-04-01"
        )
    }

    /// Creates a VNet with one subnet `workers` (10.20.1.0/24) and returns the subnet ID.
    func network(_ group: String, _ name: String, location: String = "westeurope") async throws -> String {
        let body: AzureJSON = [
            "location": .string(location),
            "properties": [
                "addressSpace": ["addressPrefixes": ["10.20.0.0/16"]],
                "subnets": [["name": "workers", "properties": ["addressPrefix": "10.20.1.0/24"]]],
            ],
        ]
        let reply = try await arm(
            .PUT,
            id(group, "Microsoft.Network/virtualNetworks", name),
            body: body,
            apiVersion: "2024-05-01"
        )
        guard reply.status == 201 || reply.status == 200 else {
            throw LocalCloudError(.state, "VNet create failed: \(reply.status) \(reply.text)")
        }
        return id(group, "Microsoft.Network/virtualNetworks", name) + "/subnets/workers"
    }
}
