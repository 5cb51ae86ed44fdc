import Foundation

extension Repository {
    /// The tier a new pack goes to: the archive tier for data packs of a repository whose config says so,
    /// online otherwise (tree packs always).
    func tier(forPackOf kind: BlockFlags) -> ObjectTier {
        config.archivesDataPacks && !kind.contains(.treeNode) ? .archive : .online
    }

    /// Stores a new pack in the tier ``tier(forPackOf:)`` gives. Stores without tiers keep it online.
    func putPack(_ pack: PackID, contents: Data, kind: BlockFlags, mode: PutMode = .createOnly) async throws {
        let tier = tier(forPackOf: kind)
        if tier == .archive, let tiered = store as? any TieredObjectStore {
            try await tiered.put(pack.objectKey, contents: contents, mode: mode, tier: tier)
        } else {
            try await store.put(pack.objectKey, contents: contents, mode: mode)
        }
    }

    /// The tier of a pack, or `nil` when it does not exist; ``ObjectTier/online`` in stores without tiers.
    public func tier(of pack: PackID) async throws -> ObjectTierStatus? {
        if let tiered = store as? any TieredObjectStore { return try await tiered.tier(of: pack.objectKey) }
        return try await store.head(pack.objectKey) == nil ? nil : ObjectTierStatus(tier: .online)
    }
}
