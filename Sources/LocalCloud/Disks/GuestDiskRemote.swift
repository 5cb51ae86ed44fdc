import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL

/// Guest I/O through a running LocalCloud (the `md-guest` routes of ``ManagedDiskDataPlane``), for when the data
/// folder is held by `nimbus cloud serve`. Reads `DIR/endpoints.json` for the address, CA and client credentials.
public struct GuestDiskRemote: Sendable {
    private let endpoints: Endpoints

    /// Reads the endpoints of the LocalCloud serving `dataDirectory`.
    ///
    /// - Throws: `LocalCloudError` when `endpoints.json` is missing or unreadable.
    public init(dataDirectory: URL) throws {
        let file = dataDirectory.appendingPathComponent("endpoints.json")
        guard let data = FileManager.default.contents(atPath: file.path),
            let endpoints = try? JSONDecoder().decode(Endpoints.self, from: data)
        else {
            throw LocalCloudError(.configuration, "Could not read \(file.path); is LocalCloud serving that folder?")
        }
        self.endpoints = endpoints
    }

    /// Changes `percent` of a disk in scattered writes; returns the changed ranges as `[offset, length]`.
    public func mutate(disk: String, percent: Double, seed: UInt64) async throws -> [[Int64]] {
        let query = "disk=\(Self.encode(disk))&percent=\(percent)&seed=\(seed)"
        let reply = try await send(.POST, route: "mutate?\(query)", body: nil)
        let ranges = reply["changedRanges"] as? [[Any]] ?? []
        return ranges.map { pair in pair.compactMap { ($0 as? NSNumber)?.int64Value } }
    }

    /// Writes the raw image `file` at the start of a disk; returns the bytes of data written.
    public func importImage(disk: String, file: URL) async throws -> Int64 {
        let path = file.path
        let size: Int? = try await FileIO.run {
            guard FileManager.default.isReadableFile(atPath: path) else { return nil }
            return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        }
        guard let size else {
            throw LocalCloudError(.io, "Could not open the image \(file.path); check the path.")
        }
        let chunks = FileChunks(path: file.path)
        let reply = try await send(
            .PUT,
            route: "import?disk=\(Self.encode(disk))",
            body: .stream(chunks, length: .known(Int64(size)))
        )
        return (reply["bytes"] as? NSNumber)?.int64Value ?? 0
    }

    private func send(_ method: HTTPMethod, route: String, body: HTTPClientRequest.Body?) async throws -> [String: Any]
    {
        let client = try makeClient()
        do {
            let token = try await self.token(client)
            var base = endpoints.resourceManager
            if !base.hasSuffix("/") { base += "/" }
            var request = HTTPClientRequest(url: base + "md-guest/" + route)
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            if let body { request.body = body }
            let response = try await client.execute(request, timeout: .seconds(3600))
            let collected = try await response.body.collect(upTo: 64 * 1024 * 1024)
            try await client.shutdown()
            let object = (try? JSONSerialization.jsonObject(with: Data(collected.readableBytesView))) as? [String: Any]
            guard response.status == .ok, let object else {
                throw LocalCloudError(
                    .state,
                    "LocalCloud refused the guest I/O: \(response.status.code) \(object?["error"] ?? "")"
                )
            }
            return object
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func token(_ client: HTTPClient) async throws -> String {
        var request = HTTPClientRequest(url: "\(endpoints.authorityHost)/\(endpoints.tenantId)/oauth2/v2.0/token")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let form = [
            ("grant_type", "client_credentials"), ("client_id", endpoints.clientId),
            ("client_secret", endpoints.clientSecret), ("scope", endpoints.tokenScope),
        ].map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: form))
        let response = try await client.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 1024 * 1024)
        let object = (try? JSONSerialization.jsonObject(with: Data(collected.readableBytesView))) as? [String: Any]
        guard let token = object?["access_token"] as? String else {
            throw LocalCloudError(.state, "LocalCloud gave no token to the client in endpoints.json.")
        }
        return token
    }

    private func makeClient() throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(endpoints.caCertificate))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// The bytes of a file as a sequence of 1 MiB buffers, read on ``FileIO`` as they are consumed.
private struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String

    struct Iterator: AsyncIteratorProtocol {
        let path: String
        var handle: FileHandle?
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            if handle == nil {
                let path = self.path
                handle = try await FileIO.run { FileHandle(forReadingAtPath: path) }
            }
            guard let handle else {
                finished = true
                return nil
            }
            let data = try await FileIO.run { try handle.read(upToCount: 1024 * 1024) }
            guard let data, !data.isEmpty else {
                finished = true
                _ = try? await FileIO.run { try handle.close() }
                return nil
            }
            return ByteBuffer(data: data)
        }
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(path: path)
    }
}
