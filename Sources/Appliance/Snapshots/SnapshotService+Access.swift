import AzureKit
import Foundation
import Logging

extension SnapshotService {
    /// Grants read access to one snapshot of a set (beginGetAccess) for `duration`; returns its SAS URL.
    ///
    /// Revoke it with ``revoke(snapshot:)`` as soon as the disk is read, and also when the session fails.
    public func grantRead(snapshot: CloudNativeSnapshot.Disk, duration: Duration) async throws -> SASURL {
        guard duration >= .seconds(1) else {
            throw ApplianceError.invalidInput(
                "a snapshot SAS must last at least one second; got \(duration) for \(snapshot.snapshotName)"
            )
        }
        let url = try await arm.beginSnapshotAccess(
            resourceGroup: snapshot.resourceGroup,
            name: snapshot.snapshotName,
            duration: duration,
            logger: logger
        )
        return try SASURL(string: url)
    }

    /// Revokes every SAS of one snapshot (endGetAccess).
    ///
    /// Revoking a snapshot that holds no SAS, or that no longer exists, is not an error.
    public func revoke(snapshot: CloudNativeSnapshot.Disk) async throws {
        do {
            try await arm.endSnapshotAccess(
                resourceGroup: snapshot.resourceGroup,
                name: snapshot.snapshotName,
                logger: logger
            )
        } catch let error as AzureError where error.status == 404 {
            logger.debug("snapshot.revoke.absent", metadata: ["snapshot.name": "\(snapshot.snapshotName)"])
        }
    }
}
