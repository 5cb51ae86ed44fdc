import AzureKit
import Foundation
import WorkerProtocol

/// Queue clients for the queue SAS URLs of a worker's configuration, sent through the private endpoints.
public enum WorkerQueues {
    /// A client for the queue `url` names, and the queue's name.
    /// - Throws: ``WorkerFailure`` (permanent) when the URL names no queue or the network has no private endpoint.
    public static func queue(
        _ url: WorkerProtocol.SASURL,
        client: AzureClient,
        routing: PrivateEndpointRouting
    ) throws -> (client: QueueClient, name: String) {
        let resource = url.resource
        let name = resource.lastPathComponent
        guard !name.isEmpty, name != "/" else {
            throw WorkerFailure.permanent("the queue URL \(url) names no queue; check the worker configuration")
        }
        let endpoint = try routing.route(resource.deletingLastPathComponent(), service: .queue)
        return (QueueClient(client: client, endpoint: endpoint, authorization: .sas(url.token)), name)
    }
}
