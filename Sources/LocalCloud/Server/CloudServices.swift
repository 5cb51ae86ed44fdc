import Foundation
import HTTPTypes
import Logging
import Synchronization

/// Everything a handler needs: state, identity, operations, listeners, private endpoints, faults and the
/// storage services. One instance per running LocalCloud; handed to every ``ARMResourceProvider`` and
/// ``DataPlaneHandler`` call.
public final class CloudServices: Sendable {
    /// The configuration LocalCloud was started with.
    public let configuration: LocalCloud.Configuration
    /// The data folder.
    public let dataDirectory: URL
    /// The persisted ARM resources.
    public let resources: ResourceStore
    /// Long-running operations.
    public let operations: OperationManager
    /// The listeners (add one per private endpoint).
    public let listeners: ListenerSet
    /// Private endpoint bindings of local addresses.
    public let privateEndpoints: PrivateEndpointRegistry
    /// Fault injection.
    public let faults: FaultInjector
    /// The tenant, client and token issuer.
    public let identity: IdentityService
    /// The ARM resource providers.
    public let arm: ARMRegistry
    /// Data-plane handlers by URL prefix (e.g. `md-`).
    public let dataPlane: DataPlaneRegistry
    /// The TLS certificate authority.
    public let authority: TLSAuthority
    /// Blob and Queue data of storage accounts.
    public let storage: StorageService
    /// The logger handlers log to.
    public let logger: Logger
    private let publicAddressBox = Mutex<ListenerAddress?>(nil)

    init(configuration: LocalCloud.Configuration, logger: Logger) throws {
        self.configuration = configuration
        dataDirectory = configuration.dataDirectory
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        resources = try ResourceStore(directory: dataDirectory.appendingPathComponent("resources"))
        faults = FaultInjector(file: dataDirectory.appendingPathComponent("faults.json"))
        operations = try OperationManager(
            directory: dataDirectory.appendingPathComponent("operations"),
            retryAfterSeconds: configuration.retryAfterSeconds,
            faults: faults,
            logger: logger
        )
        authority = try TLSAuthority(directory: dataDirectory)
        listeners = ListenerSet(authority: authority, logger: logger)
        privateEndpoints = PrivateEndpointRegistry()
        identity = try IdentityService(directory: dataDirectory, subscriptionCount: configuration.subscriptionCount)
        arm = ARMRegistry()
        dataPlane = DataPlaneRegistry()
        storage = try StorageService(directory: dataDirectory.appendingPathComponent("storage"))
        self.logger = logger
    }

    /// The regions resources may live in (lowercase names such as `westeurope`).
    public var regions: [String] { configuration.regions }

    /// How many items one page of an ARM list holds before a `nextLink`.
    public var listPageSize: Int { configuration.listPageSize }

    /// The public HTTPS listener's address (set once started).
    public var publicAddress: ListenerAddress? { publicAddressBox.withLock { $0 } }

    func setPublicAddress(_ address: ListenerAddress) { publicAddressBox.withLock { $0 = address } }

    /// `https://HOST:PORT` of the public listener.
    public var publicBaseURL: String {
        guard let address = publicAddress else { return "https://127.0.0.1" }
        return "https://\(address.host):\(address.port)"
    }

    /// The authority host clients use for tokens (the public base URL).
    public var authorityBase: String { publicBaseURL }

    /// Token audiences ARM accepts.
    public var resourceManagerAudiences: Set<String> {
        ["https://management.azure.com/", "https://management.core.windows.net/", publicBaseURL + "/"]
    }

    /// The blob endpoint of `account` (path-style): `https://HOST:PORT/ACCOUNT/`.
    public func blobEndpoint(account: String) -> String { "\(publicBaseURL)/\(account)/" }

    /// The queue endpoint of `account` (path-style): `https://HOST:PORT/ACCOUNT-queue/`.
    public func queueEndpoint(account: String) -> String { "\(publicBaseURL)/\(account)\(StorageService.queueSuffix)/" }

    /// Validates and normalises a region name; throws `LocationNotAvailableForResourceType` for unknown ones.
    public func region(_ location: String) throws -> String {
        let normalized = ARMRequest.normalizedLocation(location)
        guard regions.contains(normalized) else {
            throw ARMError(
                .badRequest,
                "LocationNotAvailableForResourceType",
                "The provided location '\(location)' is not available. List of available regions is '\(regions.joined(separator: ","))'."
            )
        }
        return normalized
    }

    /// A region's display name (`westeurope` → `West Europe`).
    public static func displayName(ofRegion region: String) -> String {
        let known = [
            "westeurope": "West Europe", "northeurope": "North Europe", "eastus": "East US", "eastus2": "East US 2",
            "westus": "West US", "westus2": "West US 2", "uksouth": "UK South", "francecentral": "France Central",
            "germanywestcentral": "Germany West Central", "swedencentral": "Sweden Central",
        ]
        return known[region] ?? region
    }
}
