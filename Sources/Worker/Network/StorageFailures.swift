import AzureKit

/// Turns what a Blob or Queue call threw into a ``WorkerFailure`` naming the storage account and what to do.
enum StorageFailures {
    /// The failure for `error`, met while `doing` something on storage account `account`.
    static func failure(_ error: any Error, account: String, doing: String) -> WorkerFailure {
        if let failure = error as? WorkerFailure { return failure }
        guard let azure = error as? AzureError else {
            return .transient("\(doing) on storage account \(account) failed: \(error)")
        }
        switch (azure.status, azure.azureCode ?? "") {
        case (403, "AuthorizationFailure"):
            return .permanent(
                "storage account \(account) refused \(doing) (403 AuthorizationFailure): the request did not come "
                    + "through a private endpoint of the account; give the worker's network a private endpoint to it",
                code: "networkDenied"
            )
        case (403, let code):
            return .permanent(
                "storage account \(account) refused \(doing) (403 \(code)): the SAS or key has expired, was revoked or "
                    + "lacks a permission; send the job again with fresh credentials",
                code: "sasDenied"
            )
        case (404, let code):
            return .permanent(
                "\(doing) on storage account \(account) found nothing (404 \(code)); check the names",
                code: "notFound"
            )
        default:
            return .transient("\(doing) on storage account \(account) failed after retries: \(azure)")
        }
    }
}
