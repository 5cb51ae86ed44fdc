import BackupRepository
import Foundation

/// A repository access with its secrets opened: what a worker hands to its Blob client and to the engine.
/// `description` shows none of the secrets.
public struct OpenedRepository: Sendable, Hashable, CustomStringConvertible {
    /// The blob service endpoint.
    public var blobEndpoint: URL
    /// The container.
    public var container: String
    /// The prefix inside the container.
    public var prefix: String
    /// The opened credential.
    public var credential: OpenedCredential
    /// The repository password.
    public var password: String

    /// The location; never the credential's value or the password.
    public var description: String {
        "\(blobEndpoint.absoluteString.trimmingSuffix("/"))/\(container)/\(prefix) (\(credential))"
    }
}

/// A repository credential in clear, for the Blob client only.
public enum OpenedCredential: Sendable, Hashable, CustomStringConvertible {
    /// A SAS token (the query, without `?`).
    case sas(String)
    /// An account's name and key (base64).
    case accountKey(account: String, key: String)

    /// The kind of credential, never its value.
    public var description: String {
        switch self {
        case .sas: "SAS"
        case .accountKey(let account, _): "account key of \(account)"
        }
    }
}

extension RepositoryAccess {
    /// Seals a repository's credential and password for `role` in the job of `context` (appliance side).
    public init(
        blobEndpoint: URL,
        container: String,
        prefix: String = "",
        credential: OpenedCredential,
        password: String,
        role: RepositoryRole,
        context: SealingContext
    ) throws(SealError) {
        let sealedCredential: RepositoryCredential =
            switch credential {
            case .sas(let token): .sas(try context.seal(token, as: .credential(role)))
            case .accountKey(let account, let key):
                .accountKey(account: account, key: try context.seal(key, as: .credential(role)))
            }
        self.init(
            location: RepositoryLocation(
                blobEndpoint: blobEndpoint,
                container: container,
                prefix: prefix,
                credential: sealedCredential
            ),
            password: try context.seal(password, as: .password(role))
        )
    }

    /// Opens the credential and password sealed for `role` in the job of `context` (worker side).
    /// - Throws: ``SealError`` naming the field that did not open.
    public func open(as role: RepositoryRole, context: SealingContext) throws(SealError) -> OpenedRepository {
        let credential: OpenedCredential =
            switch location.credential {
            case .sas(let token): .sas(try context.open(token, as: .credential(role)))
            case .accountKey(let account, let key):
                .accountKey(account: account, key: try context.open(key, as: .credential(role)))
            }
        return OpenedRepository(
            blobEndpoint: location.blobEndpoint,
            container: location.container,
            prefix: location.prefix,
            credential: credential,
            password: try context.open(password, as: .password(role))
        )
    }
}

/// A backup disk's snapshot URLs in clear, for the snapshot reader only. `description` shows the slot and
/// the URLs without their SAS.
public struct OpenedDisk: Sendable, Hashable, CustomStringConvertible {
    /// The disk's slot.
    public var slot: VMDiskSlot
    /// The disk's size in bytes.
    public var sizeBytes: Int64
    /// The snapshot's read SAS URL.
    public var snapshotURL: String
    /// The previous snapshot's read SAS URL, for a page-range diff.
    public var previousSnapshotURL: String?

    /// The slot, size and the URLs' resources.
    public var description: String {
        let previous = previousSnapshotURL.map { ", previous \(SASRedaction.scrub($0))" } ?? ""
        return "disk \(slot) (\(sizeBytes) bytes) from \(SASRedaction.scrub(snapshotURL))\(previous)"
    }
}

extension BackupDisk {
    /// Seals a disk's snapshot URLs for the job of `context` (appliance side).
    public init(
        slot: VMDiskSlot,
        sizeBytes: Int64,
        snapshotURL: String,
        previousSnapshotURL: String? = nil,
        context: SealingContext
    ) throws(SealError) {
        let previous: Sealed<String>? =
            if let previousSnapshotURL {
                try context.seal(previousSnapshotURL, as: .previousSnapshot(slot))
            } else {
                nil
            }
        self.init(
            slot: slot,
            sizeBytes: sizeBytes,
            snapshot: try context.seal(snapshotURL, as: .snapshot(slot)),
            previousSnapshot: previous
        )
    }

    /// Opens the snapshot URLs sealed for this disk's slot in the job of `context` (worker side).
    /// - Throws: ``SealError`` naming the field that did not open.
    public func open(context: SealingContext) throws(SealError) -> OpenedDisk {
        OpenedDisk(
            slot: slot,
            sizeBytes: sizeBytes,
            snapshotURL: try context.open(snapshot, as: .snapshot(slot)),
            previousSnapshotURL: try previousSnapshot.map { sealed throws(SealError) in
                try context.open(sealed, as: .previousSnapshot(slot))
            }
        )
    }
}
