import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension BlobClient {
    /// Creates a container; returns `false` if it already existed (409 `ContainerAlreadyExists`).
    @discardableResult
    public func createContainer(_ container: String, logger: Logger) async throws -> Bool {
        let request = service.request(.PUT, [container], query: [("restype", "container")])
        do {
            _ = try await service.sendBuffered(request, operation: "blob.container.create", logger: logger)
            return true
        } catch let error as AzureError where error.isConflict && error.azureCode == "ContainerAlreadyExists" {
            return false
        }
    }

    /// Deletes a container; returns `false` if it did not exist.
    @discardableResult
    public func deleteContainer(_ container: String, logger: Logger) async throws -> Bool {
        let request = service.request(.DELETE, [container], query: [("restype", "container")])
        do {
            _ = try await service.sendBuffered(request, operation: "blob.container.delete", logger: logger)
            return true
        } catch let error as AzureError where error.isNotFound {
            return false
        }
    }

    /// Every container whose name begins with `prefix`, paged lazily.
    public func listContainers(prefix: String? = nil, logger: Logger) -> AzurePagedSequence<String> {
        let service = self.service
        return AzurePagedSequence { marker in
            var query = [("comp", "list")]
            if let prefix { query.append(("prefix", prefix)) }
            if let marker { query.append(("marker", marker)) }
            let (_, body) = try await service.sendBuffered(
                service.request(.GET, [], query: query),
                operation: "blob.container.list",
                logger: logger
            )
            let root = try AzureXMLParser.parse(body)
            let names = root.child("Containers")?.children(named: "Container").compactMap { $0.childText("Name") } ?? []
            return AzurePage(elements: names, next: root.nonEmptyChildText("NextMarker"))
        }
    }
}
