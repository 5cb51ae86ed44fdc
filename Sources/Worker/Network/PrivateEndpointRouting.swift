import Foundation

/// Sends the worker's Blob and Queue requests through the private endpoints of its network, never elsewhere.
///
/// On Azure the private DNS zones make the usual host names (`<account>.blob.core.windows.net`) resolve to the
/// private endpoints, so URLs are used as given (``Mode/privateDNS``). On LocalCloud the VM's
/// `etc/localcloud/network.env` lists each endpoint's address (`LOCALCLOUD_PRIVATE_ENDPOINTS=<account>.<service>=
/// <address>,…`), and a request goes to that address instead of the public one (``Mode/addresses(_:)``). An account
/// with no private endpoint in the network is an error: there is no fallback to a public endpoint.
public struct PrivateEndpointRouting: Sendable, Equatable {
    /// How endpoints are found.
    public enum Mode: Sendable, Equatable {
        /// The network's DNS resolves the usual names to private endpoints (Azure).
        case privateDNS
        /// `<account>.<service>` → address of its private endpoint (LocalCloud).
        case addresses([String: String])
    }

    /// The mode.
    public var mode: Mode

    /// Creates a routing.
    public init(_ mode: Mode) {
        self.mode = mode
    }

    /// The routing of a LocalCloud VM, from the variables of its `etc/localcloud/network.env`.
    public init(networkEnvironment variables: [String: String]) {
        var addresses: [String: String] = [:]
        let list = variables["LOCALCLOUD_PRIVATE_ENDPOINTS"] ?? ""
        for entry in list.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { continue }
            addresses[parts[0].lowercased()] = parts[1]
        }
        self.init(.addresses(addresses))
    }

    /// Reads `KEY=VALUE` lines of an environment file (`network.env`).
    /// - Throws: ``WorkerFailure`` (permanent) when the file cannot be read.
    public static func readEnvironmentFile(_ path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WorkerFailure.permanent(
                "the network file \(path) cannot be read; the worker needs it to find its private endpoints"
            )
        }
        var variables: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            variables[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return variables
    }

    /// The storage service a URL is for.
    public enum Service: String, Sendable {
        /// Blob storage.
        case blob
        /// Queue storage.
        case queue
    }

    /// `url` (an endpoint or a SAS URL of `service`) as the worker must send it: through its private endpoint.
    /// - Throws: ``WorkerFailure`` (permanent) when the network has no private endpoint to the URL's account.
    public func route(_ url: URL, service: Service) throws -> URL {
        guard case .addresses(let addresses) = mode else { return url }
        guard let host = url.host, let account = Self.account(of: url, service: service) else {
            throw WorkerFailure.permanent(
                "the \(service.rawValue) URL for host \(url.host ?? "?") names no storage account; check the job"
            )
        }
        guard let address = addresses["\(account).\(service.rawValue)"] else {
            throw WorkerFailure.permanent(
                "the worker's network has no private endpoint to the \(service.rawValue) service of storage account "
                    + "\(account); create one in the worker's subnet (the worker never uses a public endpoint)",
                code: "networkDenied"
            )
        }
        guard Self.isAddressHost(host), var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        else { return url }
        components.host = address
        return components.url ?? url
    }

    /// The account a URL addresses: the first path segment for path-style (IP) hosts, else the first host label.
    static func account(of url: URL, service: Service) -> String? {
        guard let host = url.host?.lowercased() else { return nil }
        var account: String
        if isAddressHost(host) {
            guard let first = url.path(percentEncoded: false).split(separator: "/").first else { return nil }
            account = first.lowercased()
        } else {
            guard let label = host.split(separator: ".").first else { return nil }
            account = String(label)
        }
        if service == .queue, account.hasSuffix("-queue") { account.removeLast("-queue".count) }
        return account.isEmpty ? nil : account
    }

    /// Whether a host is an address or `localhost` (path-style storage URLs).
    static func isAddressHost(_ host: String) -> Bool {
        if host == "localhost" || host.contains(":") { return true }
        let labels = host.split(separator: ".")
        return labels.count == 4 && labels.allSatisfy { UInt8($0) != nil }
    }
}
