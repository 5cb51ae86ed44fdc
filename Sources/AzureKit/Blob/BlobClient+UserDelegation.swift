import Foundation
import Logging
import NIOHTTP1

extension BlobClient {
    /// Gets a user delegation key valid from `start` to `expiry` (at most 7 days apart).
    ///
    /// Needs ``StorageAuthorization/token(_:scope:)`` authorization; Shared Key cannot call it.
    public func userDelegationKey(start: Date, expiry: Date, logger: Logger) async throws -> UserDelegationKey {
        let xml =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><KeyInfo><Start>\(AzureISODate.format(start))</Start><Expiry>\(AzureISODate.format(expiry))</Expiry></KeyInfo>"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/xml; charset=utf-8")
        let request = service.request(
            .POST,
            [],
            query: [("restype", "service"), ("comp", "userdelegationkey")],
            headers: headers,
            body: AzureHTTPBody(string: xml),
            isIdempotent: true
        )
        let (_, body) = try await service.sendBuffered(request, operation: "blob.userdelegationkey", logger: logger)
        return try UserDelegationKey.decode(body)
    }
}
