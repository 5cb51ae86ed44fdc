import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

/// LocalCloud's own administration API under `/_localcloud/` (no authentication; loopback only):
///
/// - `GET /_localcloud/endpoints`: the `endpoints.json` document.
/// - `GET /_localcloud/faults`: the fault rules; `PUT` replaces them (body `{"rules":[…]}`); `DELETE` clears them.
/// - `GET /_localcloud/ca.pem`: the CA certificate.
struct AdminEndpoints: Sendable {
    let cloud: CloudServices

    func respond(to request: Request, parts: RequestParts) async -> Response {
        let path = parts.segments.dropFirst().map { $0.lowercased() }
        switch (request.method, path.first) {
        case (.get, "endpoints"):
            guard
                let endpoints = try? AtomicFile.readJSON(
                    Endpoints.self,
                    from: cloud.dataDirectory.appendingPathComponent("endpoints.json")
                )
            else {
                return .json(.notFound, ["error": "endpoints.json has not been written yet"])
            }
            return (try? JSONEncoder().encode(endpoints)).map {
                Response.json(.ok, (try? AzureJSON(parsing: $0)) ?? .null)
            }
                ?? .json(.internalServerError, ["error": "could not encode endpoints"])
        case (.get, "ca.pem"):
            var headers = HTTPFields()
            headers[.contentType] = "application/x-pem-file"
            return Response(
                status: .ok,
                headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: cloud.authority.caCertificatePEM))
            )
        case (.get, "faults"):
            return encoded(await cloud.faults.currentRules())
        case (.put, "faults"):
            do {
                let buffer = try await request.collectBody(limit: 1024 * 1024)
                let rules = try JSONDecoder().decode(FaultRules.self, from: Data(buffer.readableBytesView))
                try await cloud.faults.replace(rules)
                return encoded(rules)
            } catch {
                return .json(
                    .badRequest,
                    ["error": .string("The body must be {\"rules\":[...]} as documented: \(error)")]
                )
            }
        case (.delete, "faults"):
            do {
                try await cloud.faults.replace(FaultRules())
                return Response(status: .noContent)
            } catch {
                return .json(.internalServerError, ["error": .string("\(error)")])
            }
        default:
            return .json(.notFound, ["error": .string("No admin route '\(parts.rawPath)'.")])
        }
    }

    private func encoded(_ rules: FaultRules) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(rules), let value = try? AzureJSON(parsing: data) else {
            return .json(.internalServerError, ["error": "could not encode the rules"])
        }
        return .json(.ok, value)
    }
}
