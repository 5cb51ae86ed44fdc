import Crypto
import Foundation

/// Who the appliance is: the resource ID of the VM it runs on.
///
/// The ID is the value of the ``ApplianceTags/appliance`` tag on every resource the appliance creates, so that
/// it (and its janitor) can find them again, and so that two appliances in one subscription never touch each
/// other's resources. On Azure it comes from the instance metadata service; on LocalCloud the demo creates an
/// appliance VM and passes its ID.
public struct ApplianceIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The appliance VM's resource ID, as ARM spells it.
    public let vmResourceID: String

    /// Checks that `vmResourceID` names a virtual machine.
    public init(vmResourceID: String) throws(ApplianceError) {
        let parts = vmResourceID.split(separator: "/", omittingEmptySubsequences: true).map { $0.lowercased() }
        guard parts.count == 8, parts[0] == "subscriptions", parts[2] == "resourcegroups",
            parts[4] == "providers", parts[5] == "microsoft.compute", parts[6] == "virtualmachines"
        else {
            throw ApplianceError.invalidInput(
                "the appliance ID \"\(vmResourceID)\" is not a VM resource ID; give "
                    + "/subscriptions/SUB/resourceGroups/GROUP/providers/Microsoft.Compute/virtualMachines/NAME"
            )
        }
        self.vmResourceID = vmResourceID
    }

    /// The subscription the appliance VM is in.
    public var subscriptionID: String { String(vmResourceID.split(separator: "/")[1]) }

    /// The appliance VM's name.
    public var vmName: String { String(vmResourceID.split(separator: "/")[7]) }

    /// Ten lowercase hex digits derived from the ID, for names with tight length limits (storage accounts).
    ///
    /// Resource IDs are case-insensitive, so the digest is taken over the lowercased ID.
    public var shortID: String { Self.digest(vmResourceID.lowercased(), length: 10) }

    public var description: String { vmResourceID }

    /// The first `length` hex digits of SHA-256 of `text`.
    static func digest(_ text: String, length: Int) -> String {
        let hash = SHA256.hash(data: Data(text.utf8))
        return String(hash.map { String(format: "%02x", $0) }.joined().prefix(length))
    }
}
