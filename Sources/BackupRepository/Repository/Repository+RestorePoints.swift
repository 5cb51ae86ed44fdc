import Foundation

extension Repository {
    /// All restore points, oldest first.
    public func listRestorePoints() async throws -> [RestorePoint] {
        var points: [RestorePoint] = []
        for try await object in store.objects(prefix: RestorePoint.prefix) {
            guard let id = RestorePointID(String(object.key.dropFirst(RestorePoint.prefix.count))) else { continue }
            points.append(try await restorePoint(id))
        }
        return points.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// The IDs of all restore points, without reading them.
    public func listRestorePointIDs() async throws -> [RestorePointID] {
        var ids: [RestorePointID] = []
        for try await object in store.objects(prefix: RestorePoint.prefix) {
            if let id = RestorePointID(String(object.key.dropFirst(RestorePoint.prefix.count))) { ids.append(id) }
        }
        return ids
    }

    /// Reads one restore point.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/restorePointNotFound`` when it does not exist.
    public func restorePoint(_ id: RestorePointID) async throws -> RestorePoint {
        let plain: Data
        do {
            plain = try await getMetadata(
                id.objectKey,
                maxBytes: ObjectSizeLimits.restorePoint,
                purpose: "restore point"
            )
        } catch let error as RepositoryError where error.code == .missingObject {
            throw RepositoryError(
                .restorePointNotFound,
                "no restore point \(id) in the repository at \(location); list them with `nimbus repo list`",
                objectKey: id.objectKey
            )
        }
        do {
            let point = try Self.jsonDecoder().decode(RestorePoint.self, from: plain)
            guard point.id == id, point.version == 1 else {
                throw RepositoryError.damaged(id.objectKey, location: location, "its ID or version does not match")
            }
            return point
        } catch let error as RepositoryError {
            throw error
        } catch {
            throw RepositoryError.damaged(id.objectKey, location: location, "its JSON cannot be decoded: \(error)")
        }
    }

    /// Finds a restore point by a unique prefix of its ID.
    public func restorePoint(matching prefix: String) async throws -> RestorePoint {
        let lowered = prefix.lowercased()
        let matches = try await listRestorePointIDs().filter { $0.hex.hasPrefix(lowered) }
        guard matches.count == 1, let only = matches.first else {
            throw RepositoryError(
                matches.isEmpty ? .restorePointNotFound : .invalidArgument,
                matches.isEmpty
                    ? "no restore point starts with '\(prefix)' in the repository at \(location)"
                    : "'\(prefix)' matches \(matches.count) restore points; give more digits"
            )
        }
        return try await restorePoint(only)
    }

    func writeRestorePoint(_ point: RestorePoint) async throws -> Int {
        try await putMetadata(point.id.objectKey, plaintext: Self.jsonEncoder().encode(point), mode: .createOnly)
    }
}
