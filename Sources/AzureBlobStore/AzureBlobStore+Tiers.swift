import AzureKit
import BackupRepository
import Foundation
import NIOCore

extension AzureBlobStore: TieredObjectStore {
    /// Stores `contents` under `key` like ``put(_:contents:mode:)``; ``ObjectTier/archive`` sends
    /// `x-ms-access-tier: Archive` with the write (Put Blob or Put Block List), so the blob is never billed
    /// online. ``ObjectTier/online`` leaves the account's default tier.
    public func put(_ key: String, contents: Data, mode: PutMode, tier: ObjectTier) async throws {
        do {
            try await blobs.upload(
                container: container,
                blob: blobName(key),
                data: ByteBuffer(bytes: contents),
                options: BlobUploadOptions(
                    accessTier: tier == .archive ? .archive : nil,
                    createOnly: mode == .createOnly
                ),
                blockSize: blockSize,
                concurrency: concurrency,
                logger: logger
            )
        } catch {
            throw mapped(error, key: key)
        }
    }

    /// The access tier of `key` from Get Blob Properties (`x-ms-access-tier`, `x-ms-archive-status`), or `nil`
    /// when the blob does not exist. Hot, Cool and Cold are ``ObjectTier/online``.
    public func tier(of key: String) async throws -> ObjectTierStatus? {
        do {
            let properties = try await blobs.properties(container: container, blob: blobName(key), logger: logger)
            let archived = properties.accessTier == .archive
            return ObjectTierStatus(
                tier: archived ? .archive : .online,
                rehydrating: archived && (properties.archiveStatus?.hasPrefix("rehydrate-pending") ?? false)
            )
        } catch let error as AzureError where error.isNotFound {
            return nil
        } catch {
            throw mapped(error, key: key)
        }
    }
}
