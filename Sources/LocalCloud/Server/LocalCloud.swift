import Foundation
import Logging
import ServiceLifecycle

/// LocalCloud: an Azure-shaped emulator (Entra ID tokens, ARM, Blob, Queue) serving one data folder over HTTPS
/// on loopback.
///
/// LocalCloud is a swift-service-lifecycle `Service`: ``run()`` serves until a graceful shutdown (or until its
/// task is cancelled). Run it in a `ServiceGroup`, and ask ``ready()`` where it listens:
///
/// ```swift
/// let cloud = try LocalCloud(configuration: .init(dataDirectory: folder), logger: logger)
/// let group = ServiceGroup(configuration: .init(services: [.init(service: cloud)],
///                                               gracefulShutdownSignals: [.sigterm], logger: logger))
/// async let running: Void = group.run()
/// let endpoints = try await cloud.ready()   // endpoints.resourceManager, endpoints.caCertificate, …
/// ```
///
/// ``withRunning(_:)`` does this around a closure (tests use it).
public final class LocalCloud: Service, Sendable {
    /// The shared services (state, registries, listeners) handlers use.
    public let services: CloudServices
    let logger: Logger
    private let started = OneShot<Endpoints>()

    /// Opens the data folder (creating the CA, identity and state on first use) and registers the built-in
    /// providers. Nothing listens until ``run()``.
    public init(configuration: Configuration, logger: Logger) throws {
        services = try CloudServices(configuration: configuration, logger: logger)
        self.logger = logger
        BuiltInProviders.register(in: services)
    }

    /// Serves until a graceful shutdown is triggered or the task is cancelled.
    ///
    /// It binds the public listener (and the plain-HTTP one when configured), restores provider runtime state,
    /// finishes long-running operations a previous run left unfinished and writes `DIR/endpoints.json`; then
    /// ``ready()`` returns. The listeners (including those added later, one per private endpoint) and the
    /// long-running operations run as child tasks of this call. On shutdown every listener stops accepting
    /// connections and closes its idle ones at once, requests in flight get ``ListenerSet/gracePeriod`` to finish,
    /// the providers end their runtime state (VM processes), and running operations are cancelled: they stay
    /// persisted as running and the next run on the same data folder finishes them.
    public func run() async throws {
        services.listeners.setResponder(CloudResponder(cloud: services))
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await self.services.listeners.run() }
            group.addTask { await self.services.operations.run() }
            do {
                started.resolve(.success(try await startServing()))
            } catch {
                started.resolve(.failure(error))
                await stopServing()
                throw error
            }
            // Returns on a graceful shutdown, throws when cancelled: either way, stop.
            try? await gracefulShutdown()
            await stopServing()
        }
        logger.info("LocalCloud stopped", metadata: ["localcloud.data": "\(services.dataDirectory.path)"])
    }

    /// The endpoints document, once ``run()`` is serving; throws what stopped it from starting.
    public func ready() async throws -> Endpoints {
        try await started.value()
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
            throw LocalCloudError(.listener, "LocalCloud is not running; run it before adding listeners.")
        }
        return try await services.listeners.add(host: host, port: port, tls: true)
    }

    private func startServing() async throws -> Endpoints {
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
        await services.operations.resumeInterrupted()
        let endpoints = makeEndpoints(address: address, httpPort: httpPort)
        let file = services.dataDirectory.appendingPathComponent("endpoints.json")
        try await FileIO.run { try AtomicFile.writeJSON(endpoints, to: file, permissions: AtomicFile.secret) }
        logger.info(
            "LocalCloud started",
            metadata: ["localcloud.address": "\(address)", "localcloud.data": "\(services.dataDirectory.path)"]
        )
        return endpoints
    }

    private func stopServing() async {
        services.operations.stop()
        await services.listeners.stopAll()
        for provider in services.arm.registered {
            await provider.shutdown(cloud: services)
        }
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
