import AzureKit
import Foundation
import Logging

extension SnapshotService {
    /// Adds or changes tags of the snapshot `name`, keeping every other tag (ARM's tag update replaces them all,
    /// so the current ones are read and merged first); returns the snapshot's tags afterwards.
    ///
    /// - Throws: ``ApplianceError/invalidInput(_:)`` for a tag whose name starts with `nimbus`: those are the
    ///   appliance's, set when the snapshot is taken and never changed; ``ApplianceError/notFound(_:)`` when the
    ///   snapshot does not exist.
    @discardableResult
    public func mergeTags(_ tags: [String: String], snapshot name: String, resourceGroup: String) async throws
        -> [String: String]
    {
        if let reserved = tags.keys.first(where: { $0.lowercased().hasPrefix(ApplianceTags.prefix) }) {
            throw ApplianceError.invalidInput(
                "tag \(reserved) starts with \"\(ApplianceTags.prefix)\"; such tags belong to the appliance and "
                    + "are not changed; choose another name"
            )
        }
        guard let current = try await arm.snapshot(resourceGroup: resourceGroup, name: name, logger: logger) else {
            throw ApplianceError.notFound("snapshot \(name) is not in resource group \(resourceGroup)")
        }
        var merged = current.tags ?? [:]
        for (tag, value) in tags {
            for existing in merged.keys where existing.lowercased() == tag.lowercased() {
                merged[existing] = nil
            }
            merged[tag] = value
        }
        let updated = try await arm.updateSnapshotTags(
            resourceGroup: resourceGroup,
            name: name,
            tags: merged,
            logger: logger
        )
        return updated.tags ?? merged
    }
}
