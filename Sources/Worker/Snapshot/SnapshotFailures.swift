import AzureKit

/// Turns what reading a snapshot threw into a ``WorkerFailure`` that names the disk and says what to do.
enum SnapshotFailures {
    /// Whether a failed range read may succeed when sent again: bodies cut short, MD5 mismatches,
    /// lost connections and busy services.
    static func isWorthAnotherAttempt(_ error: AzureError) -> Bool {
        switch error.code {
        case .transport, .truncatedBody, .checksumMismatch: return true
        case .service: return [408, 429, 500, 502, 503, 504].contains(error.status ?? 0)
        default: return false
        }
    }

    /// The failure for `error`, met while `doing` something on `disk`.
    static func failure(_ error: any Error, disk: String, doing: String) -> WorkerFailure {
        if let failure = error as? WorkerFailure { return failure }
        if error is CancellationError {
            return .transient("\(doing) on disk \(disk) was cancelled; the job can run again")
        }
        guard let azure = error as? AzureError else {
            return .transient("\(doing) on disk \(disk) failed: \(error)")
        }
        let code = azure.azureCode ?? ""
        switch (azure.status, code) {
        case (403, "AuthorizationFailure"):
            return .permanent(
                "\(doing) on disk \(disk) was refused (403 AuthorizationFailure): this network may not reach the "
                    + "snapshot; give the snapshot's disk access a private endpoint in the worker's network",
                code: "networkDenied"
            )
        case (403, _):
            return .permanent(
                "the read SAS of disk \(disk) has expired or was revoked (403 \(code)) while \(doing); "
                    + "grant read access to the snapshot again (beginGetAccess) and send the job again",
                code: "sasExpired"
            )
        case (404, _):
            return .permanent(
                "the snapshot of disk \(disk) no longer exists (404 \(code)) while \(doing); take a new snapshot",
                code: "notFound"
            )
        case (409, "PreviousSnapshotNotFound"), (400, "PreviousSnapshotNotFound"):
            return .permanent(
                "the previous snapshot of disk \(disk) is not an older snapshot of the same disk or is gone; "
                    + "back the disk up in full (send no previous snapshot)",
                code: "notFound"
            )
        case (416, _), (400, _):
            return .permanent("\(doing) on disk \(disk) was rejected: \(azure)")
        default:
            return .transient("\(doing) on disk \(disk) failed after retries: \(azure); send the job again")
        }
    }
}
