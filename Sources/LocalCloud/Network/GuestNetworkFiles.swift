import Foundation

/// The files through which a VM learns its private endpoints, as a guest learns them from Azure's private DNS:
/// `etc/hosts` maps the services' host names to the endpoints' loopback addresses, and
/// `etc/localcloud/network.env` holds the same facts as shell variables (also given to every Run Command).
///
/// Variables: `LOCALCLOUD_PRIVATE_ENDPOINTS` is a comma-separated list of `<target>.<group>=<address>` (for
/// example `nimbusacct.blob=127.64.0.1,nimbusacct.queue=127.64.0.2,da-westeurope.disks=127.64.0.3`);
/// `LOCALCLOUD_PE_<TARGET>_<GROUP>` holds one address (target upper-cased, other characters as `_`).
public enum GuestNetworkFiles {
    /// The environment file, relative to the VM's root.
    public static let environmentFile = "etc/localcloud/network.env"
    /// The hosts file, relative to the VM's root.
    public static let hostsFile = "etc/hosts"

    /// The variables describing `bindings`.
    public static func environment(for bindings: [PrivateEndpointBinding]) -> [String: String] {
        let sorted = bindings.sorted { $0.address < $1.address }
        var variables: [String: String] = [
            "LOCALCLOUD_PRIVATE_ENDPOINTS": sorted.map { "\($0.targetName).\($0.groupId)=\($0.address)" }
                .joined(separator: ",")
        ]
        for binding in sorted {
            variables["LOCALCLOUD_PE_\(variableFragment(binding.targetName))_\(variableFragment(binding.groupId))"] =
                binding.address
        }
        return variables
    }

    /// Writes both files into the VM folder at `root`.
    ///
    /// - Throws: ``ComputeError`` with code `storageFailure` when a file cannot be written.
    public static func write(root: String, bindings: [PrivateEndpointBinding]) throws(ComputeError) {
        let variables = environment(for: bindings)
        let environmentText = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined()
        var hostsText = "127.0.0.1 localhost\n"
        for binding in bindings.sorted(by: { $0.address < $1.address }) {
            hostsText += "\(binding.address) \(binding.hostNames.joined(separator: " "))\n"
        }
        do {
            try FileManager.default.createDirectory(atPath: root + "/etc/localcloud", withIntermediateDirectories: true)
            try Data(environmentText.utf8).write(
                to: URL(fileURLWithPath: root + "/" + environmentFile),
                options: .atomic
            )
            try Data(hostsText.utf8).write(to: URL(fileURLWithPath: root + "/" + hostsFile), options: .atomic)
        } catch {
            throw ComputeError(
                code: .storageFailure,
                message: "Could not write the network files of the VM folder \(root): \(error.localizedDescription)."
            )
        }
    }

    /// Reads the variables of the environment file under `root`; a missing file reads as none.
    public static func readEnvironment(root: String) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: root + "/" + environmentFile) else { return [:] }
        var variables: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            variables[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return variables
    }

    private static func variableFragment(_ text: String) -> String {
        String(text.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}
