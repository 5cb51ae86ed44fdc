import Foundation
import Logging

/// Registers the compute, disk and network side of LocalCloud: the `Microsoft.Compute` and `Microsoft.Network`
/// providers and the managed-disk SAS data plane (`md-…` URLs).
enum ComputeRegistration {
    /// The data-plane prefix of disk and snapshot SAS URLs.
    static let diskURLPrefix = "md-"

    static func register(in cloud: CloudServices) {
        let disks: ManagedDisks
        do {
            disks = try ManagedDisks(directory: cloud.dataDirectory.appendingPathComponent("disks"))
        } catch {
            cloud.logger.error(
                "Managed disks unavailable",
                metadata: ["localcloud.data": "\(cloud.dataDirectory.path)", "error": "\(error)"]
            )
            return
        }
        var machines = VirtualMachineRuntime.Configuration()
        let bundle = cloud.authority.caCertificatePath.path
        machines.environment = ["SSL_CERT_FILE": bundle, "CURL_CA_BUNDLE": bundle, "REQUESTS_CA_BUNDLE": bundle]
        let compute = ComputeProvider(machines: VirtualMachineHost(configuration: machines), disks: disks)
        cloud.arm.register(compute)
        compute.registerResumers(in: cloud)
        cloud.arm.register(NetworkProvider())
        cloud.dataPlane.register(prefix: diskURLPrefix, ManagedDiskDataPlane(disks: disks))
    }
}
