import Synchronization

/// The ARM resource providers, keyed by namespace and top-level resource type (both case-insensitive).
public final class ARMRegistry: Sendable {
    private let providers = Mutex<[String: any ARMResourceProvider]>([:])
    private let all = Mutex<[any ARMResourceProvider]>([])

    init() {}

    /// Registers `provider` for each of its resource types; a later registration replaces an earlier one.
    public func register(_ provider: any ARMResourceProvider) {
        providers.withLock { providers in
            for type in provider.resourceTypes {
                providers[Self.key(provider.namespace, type)] = provider
            }
        }
        all.withLock { $0.append(provider) }
    }

    /// The provider for `namespace`/`type`, or `nil`.
    public func provider(namespace: String, type: String) -> (any ARMResourceProvider)? {
        providers.withLock { $0[Self.key(namespace, type)] }
    }

    /// Every registered provider, in registration order.
    public var registered: [any ARMResourceProvider] { all.withLock { $0 } }

    private static func key(_ namespace: String, _ type: String) -> String {
        "\(namespace.lowercased())/\(type.lowercased())"
    }
}
