import Foundation
import Logging

/// LocalCloud: an Azure-shaped emulator (Entra ID tokens, ARM, Blob, Queue) serving one data folder over HTTPS
/// on loopback.
///
/// ```swift
/// let cloud = try LocalCloud(configuration: .init(dataDirectory: folder), logger: logger)
/// let endpoints = try await cloud.start()
/// // … use endpoints.resourceManager, endpoints.caCertificate …
/// await cloud.shutdown()
/// ```
public final class LocalCloud: Sendable {
    /// The shared services (state, registries, listeners) handlers use.
    public let services: CloudServices
    private let logger: Logger

    /// Opens the data folder (creating the CA, identity and state on first use) and registers the built-in
    /// providers. Nothing listens until ``start()``.
    public init(configuration: Configuration, logger: Logger) throws {
        services = try CloudServices(configuration: configuration, logger: logger)
        self.logger = logger
        BuiltInProviders.register(in: services)
    }

    /// Binds the public listener (and the plain-HTTP one when configured), restores provider runtime state,
    /// finishes long-running operations a previous run left unfinished, writes `DIR/endpoints.json` and returns
    /// its content.
    @discardableResult
    public func start() async throws -> Endpoints {
        services.listeners.setResponder(CloudResponder(cloud: services))
        let address = try await services.listeners.add(
            host: services.configuration.host,
            port: services.configuration.port,
            tls: true
        )
        services.setPublicAddress(address)
        var httpPort: Int?
        if let port = services.configuration.httpPort {
            httpPort = try await services.listeners.add(host: services.configuration.host, port: port, tls: false).port
        }
        for provider in services.arm.registered {
            try await provider.restore(cloud: services)
        }
        services.operations.resumeInterrupted()
        let endpoints = makeEndpoints(address: address, httpPort: httpPort)
        try AtomicFile.writeJSON(endpoints, to: services.dataDirectory.appendingPathComponent("endpoints.json"))
        logger.info(
            "LocalCloud started",
            metadata: ["localcloud.address": "\(address)", "localcloud.data": "\(services.dataDirectory.path)"]
        )
        return endpoints
    }

    /// The endpoints document (valid once started).
    public var endpoints: Endpoints? {
        services.publicAddress.map { makeEndpoints(address: $0, httpPort: nil) }
    }

    /// The public HTTPS port (valid once started).
    public var port: Int? { services.publicAddress?.port }

    /// Adds a listener on another loopback address on the public port, e.g. `127.0.0.5` for a private endpoint.
    @discardableResult
    public func addListener(host: String) async throws -> ListenerAddress {
        guard let port = services.publicAddress?.port else {
            throw LocalCloudError(.listener, "LocalCloud is not started; call start() before adding listeners.")
        }
        return try await services.listeners.add(host: host, port: port, tls: true)
    }

    /// Stops every listener and waits for them to close, ends the providers' runtime state (VM processes) and
    /// waits for running long-running operations to stop; those stay persisted as running and are finished by the
    /// next start on the same data folder.
    public func shutdown() async {
        services.operations.stop()
        await services.listeners.removeAll()
        for provider in services.arm.registered {
            await provider.shutdown(cloud: services)
        }
        await services.operations.drain()
    }

    /// Runs until the surrounding task is cancelled, then shuts down.
    public func runUntilCancelled() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await shutdown()
    }

    private func makeEndpoints(address: ListenerAddress, httpPort: Int?) -> Endpoints {
        let base = "https://\(address.host):\(address.port)"
        let settings = services.identity.settings
        return Endpoints(
            authorityHost: base,
            tenantId: settings.tenantID,
            clientId: settings.clientID,
            clientSecret: settings.clientSecret,
            subscriptionId: settings.subscriptionIDs.first ?? "",
            subscriptions: settings.subscriptionIDs,
            resourceManager: base + "/",
            tokenScope: "https://management.azure.com/.default",
            storageTokenScope: "https://storage.azure.com/.default",
            caCertificate: services.authority.caCertificatePath.path,
            regions: services.regions,
            blobEndpointTemplate: base + "/{account}/",
            queueEndpointTemplate: base + "/{account}\(StorageService.queueSuffix)/",
            host: address.host,
            port: address.port,
            httpPort: httpPort,
            adminEndpoint: base + "/_localcloud/"
        )
    }
}
