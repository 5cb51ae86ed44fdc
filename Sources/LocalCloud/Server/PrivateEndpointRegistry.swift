import Synchronization

/// Which local addresses are private endpoints, and for which target and sub-resource.
///
/// A private endpoint is served by a listener of its own (e.g. `127.0.0.N` on the public port, added with
/// ``ListenerSet/add(host:port:tls:)``). Creating a private endpoint registers a ``Binding``; the data planes ask
/// ``allows(target:groupID:at:)`` whether a request that arrived at a local address came through a private endpoint
/// of the resource it addresses. The registry is runtime state: the provider that owns private endpoints
/// re-registers them in ``ARMResourceProvider/restore(cloud:)``.
public final class PrivateEndpointRegistry: Sendable {
    /// One private endpoint connection served at a local address.
    public struct Binding: Sendable, Hashable, Codable {
        /// The local address (listener) of the private endpoint.
        public var address: ListenerAddress
        /// The ARM ID of the target resource (a storage account or a disk access).
        public var targetResourceID: String
        /// The sub-resource: `blob`, `queue` or `disks`.
        public var groupID: String
        /// The ARM ID of the private endpoint.
        public var privateEndpointID: String

        /// Creates a binding.
        public init(address: ListenerAddress, targetResourceID: String, groupID: String, privateEndpointID: String) {
            self.address = address
            self.targetResourceID = targetResourceID
            self.groupID = groupID
            self.privateEndpointID = privateEndpointID
        }
    }

    private let bindings = Mutex<[Binding]>([])

    init() {}

    /// Registers a binding (replacing an identical one).
    public func register(_ binding: Binding) {
        bindings.withLock { all in
            all.removeAll { $0 == binding }
            all.append(binding)
        }
    }

    /// Removes every binding of the private endpoint `privateEndpointID`; returns the removed bindings.
    @discardableResult
    public func unregister(privateEndpointID: String) -> [Binding] {
        bindings.withLock { all in
            let removed = all.filter { $0.privateEndpointID.lowercased() == privateEndpointID.lowercased() }
            all.removeAll { $0.privateEndpointID.lowercased() == privateEndpointID.lowercased() }
            return removed
        }
    }

    /// The bindings served at `address`: which (target, group ID) pairs that local address reaches.
    public func bindings(at address: ListenerAddress) -> [Binding] {
        bindings.withLock { all in all.filter { $0.address == address } }
    }

    /// Every binding.
    public var all: [Binding] { bindings.withLock { $0 } }

    /// Whether a request arriving at `address` came through a private endpoint of `target` for `groupID`.
    public func allows(target: String, groupID: String, at address: ListenerAddress?) -> Bool {
        guard let address else { return false }
        return bindings.withLock { all in
            all.contains {
                $0.address == address && $0.targetResourceID.lowercased() == target.lowercased()
                    && $0.groupID.lowercased() == groupID.lowercased()
            }
        }
    }

    /// Whether `address` is a private endpoint's address (of any target).
    public func isPrivate(_ address: ListenerAddress?) -> Bool {
        guard let address else { return false }
        return bindings.withLock { all in all.contains { $0.address == address } }
    }
}
