import Foundation
import NIOCore
import NIOHTTP1

/// How Blob and Queue requests are authorized.
public enum StorageAuthorization: Sendable, CustomStringConvertible {
    /// Shared Key: every request is signed with the account key.
    case sharedKey(StorageSharedKeyCredential)
    /// A SAS: its query (without `?`) is appended to every URL.
    case sas(String)
    /// An Entra ID token for the storage scope (`https://storage.azure.com/.default`).
    case token(any TokenCredential, scope: String)
    /// No authorization (public containers, or LocalCloud rules that need none).
    case anonymous

    var authorizer: (any RequestAuthorizer)? {
        switch self {
        case .sharedKey(let credential): credential
        case .token(let credential, let scope): BearerTokenAuthorizer(credential: credential, scope: scope)
        case .sas, .anonymous: nil
        }
    }

    var sasQuery: String? {
        if case .sas(let query) = self { return query }
        return nil
    }

    /// A description without secrets.
    public var description: String {
        switch self {
        case .sharedKey(let credential): "Shared Key (\(credential.accountName))"
        case .sas: "SAS"
        case .token: "Entra ID token"
        case .anonymous: "anonymous"
        }
    }
}
