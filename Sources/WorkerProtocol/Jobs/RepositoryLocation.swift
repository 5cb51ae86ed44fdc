import Foundation

/// Where a repository lives in Blob storage, and how to reach it: the blob service endpoint, the
/// container, a prefix inside it, and a sealed credential.
public struct RepositoryLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The blob service endpoint (`https://acct.blob.core.windows.net/`, or the private endpoint's
    /// address on LocalCloud), without any query.
    public var blobEndpoint: URL
    /// The container.
    public var container: String
    /// The prefix of the repository's objects inside the container; empty for the container's root.
    public var prefix: String
    /// How to authenticate.
    public var credential: RepositoryCredential

    /// A location.
    public init(blobEndpoint: URL, container: String, prefix: String = "", credential: RepositoryCredential) {
        self.blobEndpoint = blobEndpoint
        self.container = container
        self.prefix = prefix
        self.credential = credential
    }

    /// The endpoint, container and prefix, and the kind of credential (never its value).
    public var description: String {
        "\(blobEndpoint.absoluteString.trimmingSuffix("/"))/\(container)/\(prefix) (\(credential))"
    }
}

/// The credential of a repository's container, sealed.
public enum RepositoryCredential: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A SAS token (the query, without `?`) for the container, with the permissions the job needs.
    case sas(Sealed<String>)
    /// The storage account's name and its key (base64), sealed.
    case accountKey(account: String, key: Sealed<String>)

    /// The kind of credential, never its value.
    public var description: String {
        switch self {
        case .sas: "SAS, sealed"
        case .accountKey(let account, _): "account key of \(account), sealed"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case type
        case sas
        case account
        case key
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "sas":
            self = .sas(try container.decode(Sealed<String>.self, forKey: .sas))
        case "accountKey":
            self = .accountKey(
                account: try container.decode(String.self, forKey: .account),
                key: try container.decode(Sealed<String>.self, forKey: .key)
            )
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type,
                in: container,
                debugDescription: "credential type '\(type)' is neither sas nor accountKey"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .sas(let token):
            try container.encode("sas", forKey: .type)
            try container.encode(token, forKey: .sas)
        case .accountKey(let account, let key):
            try container.encode("accountKey", forKey: .type)
            try container.encode(account, forKey: .account)
            try container.encode(key, forKey: .key)
        }
    }
}

/// A repository a job works on: where it is, and its sealed password.
public struct RepositoryAccess: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Where the repository is.
    public var location: RepositoryLocation
    /// The repository password, sealed.
    public var password: Sealed<String>

    /// A repository and its password.
    public init(location: RepositoryLocation, password: Sealed<String>) {
        self.location = location
        self.password = password
    }

    /// The location; the password is never shown.
    public var description: String { "\(location), password sealed" }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
