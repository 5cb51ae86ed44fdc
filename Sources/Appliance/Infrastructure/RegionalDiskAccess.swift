/// A region's disk access and its private endpoint in the worker subnet, as ``DiskAccessManager`` found or
/// created them.
public struct RegionalDiskAccess: Sendable, Hashable, Codable {
    /// The region.
    public var region: String
    /// The disk access's resource ID.
    public var diskAccessID: String
    /// The resource ID of its `disks` private endpoint.
    public var privateEndpointID: String
    /// The private address of that endpoint, through which snapshot SAS URLs work.
    public var privateAddress: String
}
