import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The Blob and Queue services of every storage account, path-style: `/{account}/…` is Blob and
/// `/{account}-queue/…` is Queue.
///
/// Order of checks, as Azure: the account must exist (else 400 `InvalidUri`-like `ResourceNotFound`), the request
/// must come through an allowed network path (`publicNetworkAccess` or a private endpoint, else 403
/// `AuthorizationFailure`), then fault rules, then authentication and the operation itself.
struct StorageFrontEnd: Sendable {
    let cloud: CloudServices

    func respond(to request: Request, parts: RequestParts, context: CloudRequestContext) async -> Response {
        guard let first = parts.segments.first else {
            return StorageErrorResponse.render(.invalidURI, method: request.method, request: request)
        }
        var accountName = first.lowercased()
        var service = "blob"
        if accountName.hasSuffix(StorageService.queueSuffix) {
            accountName = String(accountName.dropLast(StorageService.queueSuffix.count))
            service = "queue"
        }
        guard StorageService.isAccountName(accountName), let account = cloud.storageAccount(named: accountName) else {
            return StorageErrorResponse.render(.resourceNotFound, method: request.method, request: request)
        }
        guard
            account.publicNetworkAccess
                || cloud.privateEndpoints.allows(target: account.resourceID, groupID: service, at: context.localAddress)
        else {
            return StorageErrorResponse.render(.authorizationFailure, method: request.method, request: request)
        }
        var storageRequest = StorageRequest(
            request: request,
            parts: parts,
            account: account,
            service: service,
            isTLS: context.localAddress.map { cloud.listeners.isTLS($0) } ?? true
        )
        var loseResponse = false
        do {
            if let action = await cloud.faults.action(
                service: service,
                account: accountName,
                operation: storageRequest.operationName,
                method: request.method.rawValue,
                path: parts.rawPath
            ) {
                switch action {
                case .throttle(let status, let code, let retryAfter):
                    throw StorageError(
                        HTTPResponse.Status(code: status),
                        code,
                        "The server is currently unable to receive requests. Please retry your request.",
                        headers: ["Retry-After": String(retryAfter)]
                    )
                case .delay(let milliseconds):
                    try await Task.sleep(for: .milliseconds(milliseconds))
                case .drop:
                    context.dropConnection()
                    throw StorageError(
                        .serviceUnavailable,
                        "ServerBusy",
                        "The connection was dropped (injected fault)."
                    )
                case .loseResponse:
                    loseResponse = true
                case .slowWrite(let milliseconds):
                    storageRequest.pageWriteLatency = .milliseconds(milliseconds)
                }
            }
            let response: Response
            if service == "queue" {
                response = try await QueueService(cloud: cloud).handle(storageRequest)
            } else {
                response = try await BlobService(cloud: cloud).handle(storageRequest)
            }
            if loseResponse { context.dropConnection() }
            return storageRequest.decorate(response)
        } catch let error as StorageError {
            return StorageErrorResponse.render(error, method: request.method, request: request)
        } catch is BodyTooLarge {
            return StorageErrorResponse.render(
                .bodyTooLarge(limit: 4 * 1024 * 1024),
                method: request.method,
                request: request
            )
        } catch {
            context.logger.debug(
                "Storage request failed",
                metadata: ["error": "\(error)", "storage.account": "\(accountName)"]
            )
            return StorageErrorResponse.render(.internalError("\(error)"), method: request.method, request: request)
        }
    }
}
