import Foundation
import NIOCore
import NIOHTTP1

/// Properties of a virtual machine. The profiles are passed through as JSON (see
/// ``VirtualMachineProperties/linux(vmSize:computerName:adminUsername:sshPublicKey:networkInterfaceID:customData:)``).
public struct VirtualMachineProperties: Codable, Sendable {
    /// The VM's unique ID.
    public var vmId: String?
    /// Provisioning state.
    public var provisioningState: String?
    /// `{"vmSize":"…"}`.
    public var hardwareProfile: AzureJSON?
    /// Image, OS disk and data disks.
    public var storageProfile: AzureJSON?
    /// Computer name, admin user, SSH keys, custom data.
    public var osProfile: AzureJSON?
    /// Network interfaces.
    public var networkProfile: AzureJSON?
    /// The instance view, when requested with `$expand=instanceView`.
    public var instanceView: VirtualMachineInstanceView?

    /// Creates properties from JSON profiles.
    public init(
        hardwareProfile: AzureJSON?,
        storageProfile: AzureJSON?,
        osProfile: AzureJSON?,
        networkProfile: AzureJSON?
    ) {
        self.hardwareProfile = hardwareProfile
        self.storageProfile = storageProfile
        self.osProfile = osProfile
        self.networkProfile = networkProfile
    }

    /// An Ubuntu 22.04 LTS (gen2) VM with SSH-key login, a StandardSSD OS disk deleted with the VM,
    /// and one existing NIC (no public IP).
    public static func linux(
        vmSize: String,
        computerName: String,
        adminUsername: String,
        sshPublicKey: String,
        networkInterfaceID: String,
        customData: String? = nil
    ) -> VirtualMachineProperties {
        var osProfile: [String: AzureJSON] = [
            "computerName": .string(computerName),
            "adminUsername": .string(adminUsername),
            "linuxConfiguration": .object([
                "disablePasswordAuthentication": .bool(true),
                "ssh": .object([
                    "publicKeys": .array([
                        .object([
                            "path": .string("/home/\(adminUsername)/.ssh/authorized_keys"),
                            "keyData": .string(sshPublicKey),
                        ])
                    ])
                ]),
            ]),
        ]
        if let customData { osProfile["customData"] = .string(customData) }
        return VirtualMachineProperties(
            hardwareProfile: .object(["vmSize": .string(vmSize)]),
            storageProfile: .object([
                "imageReference": .object([
                    "publisher": .string("Canonical"),
                    "offer": .string("0001-com-ubuntu-server-jammy"),
                    "sku": .string("22_04-lts-gen2"),
                    "version": .string("latest"),
                ]),
                "osDisk": .object([
                    "createOption": .string("FromImage"),
                    "deleteOption": .string("Delete"),
                    "managedDisk": .object(["storageAccountType": .string("StandardSSD_LRS")]),
                ]),
            ]),
            osProfile: .object(osProfile),
            networkProfile: .object([
                "networkInterfaces": .array([
                    .object([
                        "id": .string(networkInterfaceID),
                        "properties": .object(["primary": .bool(true), "deleteOption": .string("Delete")]),
                    ])
                ])
            ])
        )
    }
}

/// A virtual machine.
public typealias VirtualMachine = ARMResource<VirtualMachineProperties>

/// A status entry of an instance view or a Run Command result.
public struct InstanceViewStatus: Codable, Sendable, Hashable {
    /// e.g. `ProvisioningState/succeeded`, `PowerState/deallocated`, `ComponentStatus/StdOut/succeeded`.
    public var code: String?
    /// `Info`, `Warning` or `Error`.
    public var level: String?
    /// A short display text.
    public var displayStatus: String?
    /// Details (Run Command output lives here).
    public var message: String?
    /// When the status was recorded.
    public var time: String?
}

/// A VM's instance view.
public struct VirtualMachineInstanceView: Codable, Sendable {
    /// Provisioning and power statuses.
    public var statuses: [InstanceViewStatus]?

    /// The power state, e.g. `running`, `deallocated` (from `PowerState/…`).
    public var powerState: String? {
        statuses?.compactMap(\.code).first { $0.hasPrefix("PowerState/") }.map {
            String($0.dropFirst("PowerState/".count))
        }
    }
}

/// A Run Command request (action form).
public struct RunCommandInput: Codable, Sendable {
    /// `RunShellScript` on Linux, `RunPowerShellScript` on Windows.
    public var commandId: String
    /// The script lines.
    public var script: [String]
    /// Parameters passed to the script as environment variables.
    public var parameters: [RunCommandParameter]?

    /// Creates a request.
    public init(commandId: String = "RunShellScript", script: [String], parameters: [RunCommandParameter]? = nil) {
        self.commandId = commandId
        self.script = script
        self.parameters = parameters
    }
}

/// A named Run Command parameter.
public struct RunCommandParameter: Codable, Sendable, Hashable {
    /// The name.
    public var name: String
    /// The value.
    public var value: String

    /// Creates a parameter.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// The result of Run Command: status entries whose messages hold the (truncated) output.
public struct RunCommandResult: Codable, Sendable {
    /// The status entries.
    public var value: [InstanceViewStatus]?

    /// All messages joined, which for Linux holds `[stdout]` and `[stderr]` sections.
    public var output: String {
        (value ?? []).compactMap(\.message).joined(separator: "\n")
    }
}
