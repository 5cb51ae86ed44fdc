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

    /// Opens the repository of `access`, its secrets sealed for `role` in `context`.
    func open(_ access: RepositoryAccess, role: RepositoryRole, context: SealingContext) async throws -> Repository {
        let location = access.location
        let endpoint = try routing.route(location.blobEndpoint, service: .blob)
        let store: AzureBlobStore
        switch location.credential {
        case .sas(let sealed):
            let token = try context.open(sealed, as: .credential(role))
            var base = endpoint.absoluteString
            if !base.hasSuffix("/") { base += "/" }
            let query = token.hasPrefix("?") ? String(token.dropFirst()) : token
            let url = try SASURL(string: base + location.container + "?" + query)
            store = try AzureBlobStore(client: client, containerSASURL: url, prefix: location.prefix, logger: logger)
        case .accountKey(let account, let sealed):
            let key = try context.open(sealed, as: .credential(role))
            store = AzureBlobStore(
                client: client,
                endpoint: endpoint,
                container: location.container,
                credential: try StorageSharedKeyCredential(accountName: account, accountKey: key),
                prefix: location.prefix,
                logger: logger
            )
        }
        let password = try context.open(access.password, as: .password(role))
        return try await Repository.open(store: store, password: password, logger: logger)
    }
}
