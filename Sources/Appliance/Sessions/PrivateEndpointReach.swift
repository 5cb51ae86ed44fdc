import AzureKit
import Foundation

/// How the appliance reaches a storage account whose public network access is disabled: through its private
/// endpoints, as an appliance in (or peered with) the worker network does.
public enum PrivateEndpointReach: Sendable, Hashable {
    /// The network's private DNS zones resolve the account's usual names to its private endpoints (Azure): the
    /// endpoints are used as they are.
    case privateDNS
    /// Requests go to the private endpoint's address instead of the account's host (LocalCloud, where every
    /// private endpoint has a loopback address of its own).
    case endpointAddress

    /// The storage access of the regional network's account with `credential`.
    public func storage(of network: RegionalNetwork, credential: StorageSharedKeyCredential) -> StorageAccess {
        switch self {
        case .privateDNS:
            StorageAccess(
                credential: credential,
                blobEndpoint: network.blobEndpoint,
                queueEndpoint: network.queueEndpoint
            )
        case .endpointAddress:
            StorageAccess(
                credential: credential,
                blobEndpoint: Self.through(network.blobEndpoint, address: network.blobPrivateAddress),
                queueEndpoint: Self.through(network.queueEndpoint, address: network.queuePrivateAddress)
            )
        }
    }

    /// `url` sent to `address` instead of its host.
    static func through(_ url: URL, address: String) -> URL {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.host = address
        return components?.url ?? url
    }
}
