import AzureKit
import Foundation

/// A storage account as the appliance and its workers reach it: its name, its key, and the Blob and Queue
/// endpoints to send requests to.
///
/// The accounts Nimbus creates disable public network access, so the endpoints are those of the account's
/// **private endpoints**. On Azure the appliance sits in (or is peered with) the worker network and its private
/// DNS zones resolve `<account>.blob.core.windows.net` to the private endpoint, so the endpoints are the usual
/// names. On LocalCloud, where everything runs on one host, they are the private endpoints' loopback addresses
/// (`https://127.64.0.1:PORT/<account>/`), as a peered appliance would be given them; requests to the public
/// address are refused with `403 AuthorizationFailure`, exactly as on Azure.
public struct StorageAccess: Sendable {
    /// The account's name.
    public var accountName: String
    /// The account's Shared Key (the appliance signs its SAS tokens with it; it never leaves the appliance).
    public var credential: StorageSharedKeyCredential
    /// The Blob endpoint, through the account's private endpoint.
    public var blobEndpoint: URL
    /// The Queue endpoint, through the account's private endpoint.
    public var queueEndpoint: URL

    /// An account's access.
    public init(credential: StorageSharedKeyCredential, blobEndpoint: URL, queueEndpoint: URL) {
        self.accountName = credential.accountName
        self.credential = credential
        self.blobEndpoint = blobEndpoint
        self.queueEndpoint = queueEndpoint
    }

    /// A Blob client with Shared Key.
    func blobs(_ client: AzureClient) -> BlobClient {
        BlobClient(client: client, endpoint: blobEndpoint, authorization: .sharedKey(credential))
    }

    /// A Queue client with Shared Key.
    func queues(_ client: AzureClient) -> QueueClient {
        QueueClient(client: client, endpoint: queueEndpoint, authorization: .sharedKey(credential))
    }

    /// The URL of `path` (a container and blob, or a queue) under `endpoint`, with `sas` as its query.
    static func url(_ endpoint: URL, _ path: String, sas: SASQuery) -> String {
        var base = endpoint.absoluteString
        if !base.hasSuffix("/") { base += "/" }
        return base + path + "?" + sas.encoded
    }
}

/// The network a region's workers run in: the regional infrastructure's result, as the worker fleet needs it.
///
/// The regional infrastructure step finds or creates it (a virtual network with a worker subnet, a storage
/// account with public network access disabled, and private endpoints for its Blob and Queue services in that
/// subnet); the fleet only reads it.
public struct WorkerNetwork: Sendable {
    /// The Azure region.
    public var region: String
    /// The resource group the workers (VMs, NICs) are created in.
    public var resourceGroup: String
    /// The resource ID of the subnet the workers' NICs go in (the private endpoints' subnet).
    public var subnetID: String
    /// The region's storage account (worker binaries), through its private endpoints.
    public var storage: StorageAccess

    /// A network.
    public init(region: String, resourceGroup: String, subnetID: String, storage: StorageAccess) {
        self.region = region
        self.resourceGroup = resourceGroup
        self.subnetID = subnetID
        self.storage = storage
    }
}
