import Foundation

extension DiskAccessGrant {
    /// Checks a request's SAS query against this grant.
    ///
    /// - Parameters:
    ///   - query: The request's query parameters (decoded).
    ///   - now: The current time.
    ///   - needsWrite: Whether the operation writes.
    /// - Throws: ``StorageError``: 403 `AuthenticationFailed` for a wrong or expired signature,
    ///   403 `AuthorizationPermissionMismatch` for a write with a read-only grant.
    public func verify(query: [String: String], now: Date, needsWrite: Bool) throws(StorageError) {
        guard let signature = query["sig"], let policy = query["si"], query["sv"] == Self.signedVersion else {
            throw .authenticationFailed("sv, si and sig are mandatory. Use the URL returned by beginGetAccess.")
        }
        guard policy == id, SecretComparison.matches(signature, self.signature(policy: policy)) else {
            throw .authenticationFailed("Signature did not match. Use the URL returned by beginGetAccess unchanged.")
        }
        guard now < self.expiry else {
            throw .authenticationFailed(
                "Signed expiry time [\(signedExpiry)] must be after the current time "
                    + "[\(Self.isoSeconds(now))]. Call beginGetAccess again for a new URL."
            )
        }
        if needsWrite && access != .write {
            throw .permissionMismatch
        }
    }
}
