import Foundation

extension Repository {
    /// All restore points, oldest first, in the order of ``Swift/Array/inRestorePointOrder()``.
    public func listRestorePoints() async throws -> [RestorePoint] {
        var points: [RestorePoint] = []
        for try await object in store.objects(prefix: RestorePoint.prefix) {
            guard let id = RestorePointID(String(object.key.dropFirst(RestorePoint.prefix.count))) else { continue }
            points.append(try await restorePoint(id))
        }
        return points.inRestorePointOrder()
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
            let header = try Self.jsonDecoder().decode(VersionHeader.self, from: plain)
            guard RestorePoint.readableVersions.contains(header.version) else {
                throw RepositoryError(
                    .unsupportedVersion,
                    "restore point \(id.objectKey) in \(location) has format version \(header.version), which this "
                        + "version of Nimbus cannot read (it reads versions 1 and 2); upgrade Nimbus to read it",
                    objectKey: id.objectKey
                )
            }
            let point = try Self.jsonDecoder().decode(RestorePoint.self, from: plain)
            guard point.id == id else {
                throw RepositoryError.damaged(id.objectKey, location: location, "its ID does not match its name")
            }
            guard !point.disks.isEmpty, Set(point.disks.map(\.slot)).count == point.disks.count else {
                throw RepositoryError.damaged(id.objectKey, location: location, "it lists no disk or one slot twice")
            }
            return point
        } catch let error as RepositoryError {
            throw error
        } catch {
            throw RepositoryError.damaged(id.objectKey, location: location, "its JSON cannot be decoded: \(error)")
        }
    }

    /// The newest restore point in the repository's order, or `nil` when there is none.
    public func latestRestorePoint() async throws -> RestorePoint? {
        try await listRestorePoints().last
    }

    /// The restore point a user named: a full ID, a unique prefix of one, or `latest`.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/restorePointNotFound`` when none matches.
    public func restorePoint(named name: String) async throws -> RestorePoint {
        guard name == "latest" else { return try await restorePoint(matching: name) }
        guard let newest = try await latestRestorePoint() else {
            throw RepositoryError(.restorePointNotFound, "the repository at \(location) has no restore points yet")
        }
        return newest
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

/// The one field read before the rest of a restore point: which format it is in.
private struct VersionHeader: Decodable {
    var version: Int
}
