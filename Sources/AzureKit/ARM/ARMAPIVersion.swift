import Foundation
import NIOCore
import NIOHTTP1

/// The Resource Manager api-versions AzureKit uses, one per resource provider area.
public enum ARMAPIVersion {
    /// `Microsoft.Resources` (resource groups).
    public static let resources = "2021-04-01"
    /// `Microsoft.Compute` disks, snapshots and disk accesses (DiskRP).
    public static let disks = "2024-03-02"
    /// `Microsoft.Compute` virtual machines (ComputeRP).
    public static let virtualMachines = "2024-07-01"
    /// `Microsoft.Network`.
    public static let network = "2024-05-01"
    /// `Microsoft.Storage`.
    public static let storage = "2023-05-01"
}

extension ARMClient {
    /// `/subscriptions/{sub}/resourceGroups/{rg}`.
    public func resourceGroupPath(_ resourceGroup: String) -> String {
        "/subscriptions/\(subscriptionID)/resourceGroups/\(resourceGroup)"
    }

    /// `/subscriptions/{sub}/resourceGroups/{rg}/providers/{provider}/{type}/{name}`.
    public func resourcePath(resourceGroup: String, provider: String, type: String, name: String) -> String {
        "\(resourceGroupPath(resourceGroup))/providers/\(provider)/\(type)/\(name)"
    }
}
