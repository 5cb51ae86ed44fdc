import Foundation

@testable import BackupRepository

/// Real damage done to a repository's files, and the objects it hits.
enum RepositoryDamage {
    /// Flips one bit of the byte at `offset` of the object `key`.
    static func flip(_ fixture: MaintenanceFixture, _ key: String, at offset: Int) throws {
        let url = URL(fileURLWithPath: fixture.store.root + "/" + key)
        var bytes = try Data(contentsOf: url)
        bytes[offset] ^= 0x10
        try bytes.write(to: url)
    }

    /// The data blocks a restore point references, with their location hints.
    static func dataRefs(of id: RestorePointID, in fixture: MaintenanceFixture) async throws -> [BlockRef] {
        let point = try await fixture.repository.restorePoint(id)
        var refs: [BlockRef] = []
        var visited: Set<BlockID> = []
        try await fixture.repository.walkTree(of: point, visited: &visited) { ref, isNode in
            if !isNode { refs.append(ref) }
        }
        return refs
    }

    /// The index objects that list a block of `pack`.
    static func indexObjects(naming pack: PackID, in fixture: MaintenanceFixture) async throws -> [String] {
        var keys: [String] = []
        for key in try await fixture.repository.listIndexObjects() {
            let object = try await fixture.repository.readIndexObject(key)
            if object.locations.contains(where: { $0.pack == pack }) { keys.append(key) }
        }
        return keys
    }
}
