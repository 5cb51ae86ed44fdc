import AzureBlobStore
import AzureKit
import BackupRepository
import Foundation
import Logging
import WorkerProtocol

/// Opens the repository a job names: its Blob container reached through the worker's private endpoint, with the
/// sealed SAS or account key, and its sealed password.
struct RepositoryOpener: Sendable {
    let client: AzureClient
    let routing: PrivateEndpointRouting
    let logger: Logger

    /// The account name of a repository location (for messages).
    static func account(of location: RepositoryLocation) -> String {
        PrivateEndpointRouting.account(of: location.blobEndpoint, service: .blob) ?? location.blobEndpoint.host ?? "?"
    }

    /// The store of `access`'s location, its credential sealed for `role` in `context`.
    func store(_ access: RepositoryAccess, role: RepositoryRole, context: SealingContext) throws -> AzureBlobStore {
        let location = access.location
        let endpoint = try routing.route(location.blobEndpoint, service: .blob)
        switch location.credential {
        case .sas(let sealed):
            let token = try context.open(sealed, as: .credential(role))
            var base = endpoint.absoluteString
            if !base.hasSuffix("/") { base += "/" }
            let query = token.hasPrefix("?") ? String(token.dropFirst()) : token
            let url = try SASURL(string: base + location.container + "?" + query)
            return try AzureBlobStore(client: client, containerSASURL: url, prefix: location.prefix, logger: logger)
        case .accountKey(let account, let sealed):
            let key = try context.open(sealed, as: .credential(role))
            return AzureBlobStore(
                client: client,
                endpoint: endpoint,
                container: location.container,
                credential: try StorageSharedKeyCredential(accountName: account, accountKey: key),
                prefix: location.prefix,
                logger: logger
            )
        }
    }

    /// Opens the repository of `access`, its secrets sealed for `role` in `context`.
    func open(_ access: RepositoryAccess, role: RepositoryRole, context: SealingContext) async throws -> Repository {
        let store = try store(access, role: role, context: context)
        let password = try context.open(access.password, as: .password(role))
        return try await Repository.open(store: store, password: password, logger: logger)
    }

    /// Opens the archive repository of `access`, or creates it linked to `source` when its location holds no
    /// repository yet (the first archive copy), with data packs of `packSize` bytes moved to the Archive tier when
    /// `archiveTier` is set.
    /// - Returns: The repository, and whether it was created.
    func openOrCreateArchive(
        _ access: RepositoryAccess,
        linkedTo source: Repository,
        packSize: Int64,
        archiveTier: Bool,
        scrypt: ScryptParameters,
        context: SealingContext
    ) async throws -> (repository: Repository, created: Bool) {
        let store = try store(access, role: .archive, context: context)
        let password = try context.open(access.password, as: .password(.archive))
        // A container SAS cannot create its container: the appliance creates it then, and opening or creating
        // the repository below names what is missing.
        try? await store.createContainerIfNeeded()
        do {
            return (try await Repository.open(store: store, password: password, logger: logger), false)
        } catch let error as RepositoryError where error.code == .notARepository {
            var options = Repository.LinkedCreateOptions()
            options.packTargetSize = Int(packSize)
            options.archiveDataPacks = archiveTier
            options.scrypt = scrypt
            options.keyLabel = "archive"
            do {
                let created = try await Repository.createLinked(
                    store: store,
                    password: password,
                    source: source,
                    options: options,
                    logger: logger
                )
                logger.info("Archive repository created", metadata: ["archive": .string(created.store.location)])
                return (created, true)
            } catch let error as RepositoryError where error.code == .alreadyExists {
                // Another delivery of the job created it meanwhile: use that one.
                return (try await Repository.open(store: store, password: password, logger: logger), false)
            }
        }
    }
}
