import Foundation

/// Where a store keeps an object: online (readable at once) or in an offline archive tier, from which it must
/// be rehydrated (hours on Azure) before it can be read.
public enum ObjectTier: String, Sendable, Hashable, CustomStringConvertible {
    /// Readable at once (Azure: Hot, Cool or Cold).
    case online
    /// Offline (Azure: Archive): a read fails with ``ObjectStoreError/Code/archived`` until rehydrated.
    case archive

    public var description: String { rawValue }
}

/// The tier state of one stored object.
public struct ObjectTierStatus: Sendable, Hashable {
    /// The object's current tier.
    public var tier: ObjectTier
    /// Whether a rehydration out of the archive tier is under way.
    public var rehydrating: Bool

    /// Creates a status.
    public init(tier: ObjectTier, rehydrating: Bool = false) {
        self.tier = tier
        self.rehydrating = rehydrating
    }
}

/// A store that can put objects in an archive tier (Azure Blob's Archive access tier).
///
/// The engine writes an archive repository's data packs with ``ObjectTier/archive``; stores that have no such
/// tier (a local folder) do not conform, and their objects stay online.
public protocol TieredObjectStore: ObjectStore {
    /// Stores `contents` under `key` like ``ObjectStore/put(_:contents:mode:)``, in `tier`.
    func put(_ key: String, contents: Data, mode: PutMode, tier: ObjectTier) async throws

    /// The tier of `key`, or `nil` when it does not exist.
    func tier(of key: String) async throws -> ObjectTierStatus?
}
