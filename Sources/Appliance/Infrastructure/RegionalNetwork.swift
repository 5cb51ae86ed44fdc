import Foundation

/// A region's worker infrastructure, as ``RegionalInfrastructure/prepare(region:)`` found or created it.
public struct RegionalNetwork: Sendable, Hashable, Codable {
    /// The region.
    public var region: String
    /// The worker resource group (network, storage account, endpoints, workers).
    public var resourceGroup: String
    /// The worker virtual network's resource ID.
    public var virtualNetworkID: String
    /// The `workers` subnet's resource ID.
    public var subnetID: String
    /// The storage account's name.
    public var storageAccountName: String
    /// The storage account's resource ID.
    public var storageAccountID: String
    /// The account's Blob endpoint (reachable only through its private endpoint).
    public var blobEndpoint: URL
    /// The account's Queue endpoint (reachable only through its private endpoint).
    public var queueEndpoint: URL
    /// The resource ID of the account's `blob` private endpoint.
    public var blobPrivateEndpointID: String
    /// The resource ID of the account's `queue` private endpoint.
    public var queuePrivateEndpointID: String
    /// The private address of the `blob` endpoint in the worker subnet.
    public var blobPrivateAddress: String
    /// The private address of the `queue` endpoint in the worker subnet.
    public var queuePrivateAddress: String
}
