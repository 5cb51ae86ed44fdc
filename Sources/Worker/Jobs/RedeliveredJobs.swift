import BackupRepository
import Foundation

/// Recognises the restore points a job already made, so that a redelivered job is answered again instead of
/// being done twice. Each restore point a job makes carries the job's ID under ``jobIDKey`` in its metadata.
public enum RedeliveredJobs {
    /// The metadata key holding the ID of the job that made a restore point.
    public static let jobIDKey = "nimbus.job"

    /// `metadata` (a JSON object, or empty) with the job ID added.
    public static func tag(_ metadata: Data, jobID: String) -> Data {
        var object = (try? JSONSerialization.jsonObject(with: metadata)) as? [String: Any] ?? [:]
        object[jobIDKey] = jobID
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? metadata
    }

    /// The restore points of `repository` made by the job `jobID`, oldest first.
    public static func restorePoints(ofJob jobID: String, in repository: Repository) async throws -> [RestorePoint] {
        try await repository.listRestorePoints()
            .filter { point in
                let object = (try? JSONSerialization.jsonObject(with: point.metadata)) as? [String: Any]
                return object?[jobIDKey] as? String == jobID
            }
            .sorted { $0.created < $1.created }
    }
}
