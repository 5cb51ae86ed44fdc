import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A storage account name and key: signs Blob and Queue requests with Shared Key and signs SAS tokens.
///
/// The key never appears in descriptions or logs.
public struct StorageSharedKeyCredential: RequestAuthorizer, CustomStringConvertible {
    /// The storage account name.
    public let accountName: String
    let key: SymmetricKey
    let now: @Sendable () -> Date

    /// Creates a credential from the base64 account key (as ARM's listKeys returns it).
    /// - Throws: ``AzureError`` with code ``AzureError/Code/configuration`` when the key is not base64.
    public init(accountName: String, accountKey: String, now: @escaping @Sendable () -> Date = { Date() }) throws {
        guard let keyData = Data(base64Encoded: accountKey), !keyData.isEmpty else {
            throw AzureError(
                .configuration,
                message: "The key of storage account \(accountName) is not valid base64; copy it again from listKeys."
            )
        }
        self.accountName = accountName
        self.key = SymmetricKey(data: keyData)
        self.now = now
    }

    /// A description without secrets.
    public var description: String {
        "StorageSharedKeyCredential(account: \(accountName), key: \(Redaction.placeholder))"
    }

    /// Returns base64(HMAC-SHA256(key, UTF-8 `stringToSign`)).
    public func signature(for stringToSign: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key)
        return Data(mac).base64EncodedString()
    }

    /// Adds the `Authorization` header (and `x-ms-date` where signed) to `request`.
    public func authorize(_ request: inout AzureHTTPRequest, logger: Logger) async throws {
        request.headers.replaceOrAdd(name: "x-ms-date", value: AzureHTTPDate.format(now()))
        let stringToSign = SharedKeySigning.stringToSign(for: request, accountName: accountName)
        request.headers.replaceOrAdd(
            name: "Authorization",
            value: "SharedKey \(accountName):\(signature(for: stringToSign))"
        )
    }
}
