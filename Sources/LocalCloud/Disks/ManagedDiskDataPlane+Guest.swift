import AzureKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension ManagedDiskDataPlane {
    /// The first path segment of guest I/O requests.
    static let guestSegment = "md-guest"

    /// Guest I/O on a running LocalCloud, for `nimbus cloud disk …` (authenticated with a management token):
    ///
    /// - `POST /md-guest/mutate?disk=D&percent=P&seed=S` changes `P`% of disk `D` in scattered writes and answers
    ///   `{"disk":ID,"bytes":N,"writes":N,"changedRanges":[[offset,length],…]}`.
    /// - `PUT /md-guest/import?disk=D` writes the request body (a raw image) at the start of the disk and answers
    ///   `{"disk":ID,"bytes":N}`.
    func handleGuest(_ request: Request, parts: RequestParts, cloud: CloudServices) async -> Response {
        let bearer = request.header("Authorization").flatMap { header -> String? in
            header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)) : nil
        }
        guard let bearer,
            case .success = cloud.identity.tokens.verify(bearer, audiences: cloud.resourceManagerAudiences)
        else {
            return Self.json(.unauthorized, ["error": "Send a management bearer token (Authorization: Bearer …)."])
        }
        guard let disk = parts.value("disk") else {
            return Self.json(.badRequest, ["error": "Name the disk with ?disk=<name or resource ID>."])
        }
        do {
            let io = GuestDiskIO(resources: cloud.resources, disks: disks)
            switch (request.method, parts.segments.dropFirst().first?.lowercased()) {
            case (.post, "mutate"):
                guard let percent = parts.value("percent").flatMap(Double.init), (0...100).contains(percent) else {
                    return Self.json(.badRequest, ["error": "Give ?percent= between 0 and 100."])
                }
                let seed = parts.value("seed").flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
                let plan = try await io.mutate(disk: disk, percent: percent, seed: seed)
                let ranges = plan.changedRanges.map { AzureJSON.array($0.map { .integer(Int64($0)) }) }
                return Self.json(
                    .ok,
                    [
                        "disk": .string(try io.disk(disk).id), "bytes": .integer(Int64(plan.totalBytes)),
                        "writes": .integer(Int64(plan.writes.count)), "changedRanges": .array(ranges),
                    ]
                )
            case (.put, "import"):
                let stream = request.body.map { Data($0.readableBytesView) }
                let written = try await io.importImage(disk: disk, stream: stream)
                return Self.json(.ok, ["disk": .string(try io.disk(disk).id), "bytes": .integer(Int64(written))])
            default:
                return Self.json(.notFound, ["error": "Use POST /md-guest/mutate or PUT /md-guest/import."])
            }
        } catch {
            return Self.json(.badRequest, ["error": .string("\(error)")])
        }
    }

    static func json(_ status: HTTPResponse.Status, _ body: AzureJSON) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body.serialized())))
    }
}
