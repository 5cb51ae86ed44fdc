import AzureKit
import Foundation
import HTTPTypes
import Synchronization

/// The runtimes of all VMs of one LocalCloud, created on first use from the VM's stored state.
final class VirtualMachineHost: Sendable {
    private let runtimes = Mutex<[String: VirtualMachineRuntime]>([:])
    private let configuration: VirtualMachineRuntime.Configuration

    /// Creates a host whose runtimes use `configuration`.
    init(configuration: VirtualMachineRuntime.Configuration = .init()) {
        self.configuration = configuration
    }

    /// The runtime of a stored VM, whose hidden state holds `root` and `powerState`.
    func runtime(for vm: StoredResource) throws -> VirtualMachineRuntime {
        if let existing = runtimes.withLock({ $0[vm.id.lowercased()] }) { return existing }
        guard let root = vm.hidden["root"]?.stringValue else {
            throw ARMError(.internalServerError, "InternalExecutionError", "The VM \(vm.id) has no folder.")
        }
        let state = PowerState(storedName: vm.hidden["powerState"]?.stringValue ?? "running")
        let created: VirtualMachineRuntime
        do {
            created = try VirtualMachineRuntime(rootDirectory: root, powerState: state, configuration: configuration)
        } catch {
            throw error.armError
        }
        return runtimes.withLock { all in
            if let raced = all[vm.id.lowercased()] { return raced }
            all[vm.id.lowercased()] = created
            return created
        }
    }

    /// Forgets a VM's runtime (after delete).
    func remove(_ id: String) {
        _ = runtimes.withLock { $0.removeValue(forKey: id.lowercased()) }
    }
}
