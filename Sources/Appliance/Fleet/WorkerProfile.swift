/// The size of a worker VM, chosen from the total disk size of the VMs it backs up.
///
/// Modelled on Veeam's worker profiles: a small worker for small VMs, more vCPUs (compression and encryption)
/// and network bandwidth for large ones. Thresholds are on the sum of the disks' provisioned sizes:
///
/// | profile | total disk size | VM size |
/// |---|---|---|
/// | small | up to 100 GiB | `Standard_F2s_v2` (2 vCPU, 4 GiB) |
/// | medium | over 100 GiB, up to 1 TiB | `Standard_F4s_v2` (4 vCPU, 8 GiB) |
/// | large | over 1 TiB | `Standard_F8s_v2` (8 vCPU, 16 GiB) |
public enum WorkerProfile: String, Sendable, CaseIterable, Codable, Comparable {
    /// Up to 100 GiB of disks.
    case small
    /// Over 100 GiB, up to 1 TiB.
    case medium
    /// Over 1 TiB.
    case large

    /// The largest total disk size, in bytes, of a small worker's VMs.
    public static let smallLimit: Int64 = 100 << 30
    /// The largest total disk size, in bytes, of a medium worker's VMs.
    public static let mediumLimit: Int64 = 1 << 40

    /// The profile for VMs whose disks total `totalDiskBytes`.
    public init(totalDiskBytes: Int64) {
        if totalDiskBytes <= Self.smallLimit {
            self = .small
        } else if totalDiskBytes <= Self.mediumLimit {
            self = .medium
        } else {
            self = .large
        }
    }

    /// The Azure VM size of the profile.
    public var vmSize: String {
        switch self {
        case .small: "Standard_F2s_v2"
        case .medium: "Standard_F4s_v2"
        case .large: "Standard_F8s_v2"
        }
    }

    /// Jobs a worker of the profile runs at once.
    public var concurrency: Int {
        switch self {
        case .small: 1
        case .medium: 2
        case .large: 4
        }
    }

    public static func < (lhs: WorkerProfile, rhs: WorkerProfile) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
