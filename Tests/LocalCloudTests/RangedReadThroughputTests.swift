import AsyncHTTPClient
import AzureKit
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import LocalCloud

/// Measures 4 MiB ranged GETs over loopback HTTPS with 4 concurrent readers (block and page blobs).
/// Runs only when `LOCALCLOUD_BENCH=1`; prints MB/s. The target is ≥ 1 GB/s in a release build.
@Suite struct RangedReadThroughputTests {
    static let enabled = ProcessInfo.processInfo.environment["LOCALCLOUD_BENCH"] == "1"
    static let blobSize = 64 * 1024 * 1024
    static let rangeSize = 4 * 1024 * 1024

    @Test(.enabled(if: enabled)) func rangedReadsOfBlockAndPageBlobs() async throws {
        try await TestCloud.with { cloud in
            let key = try await cloud.makeAccount("bench1")
            let signer = SharedKeySigner(account: "bench1", key: key)
            let base = "\(cloud.endpoints.authorityHost)/bench1"
            _ = try await cloud.send(
                .PUT,
                "\(base)/bench?restype=container",
                headers: signer.headers(method: "PUT", url: "\(base)/bench?restype=container")
            )
            let payload = (0..<Self.blobSize).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
            let block = try await cloud.send(
                .PUT,
                "\(base)/bench/block.bin",
                headers: signer.headers(
                    method: "PUT",
                    url: "\(base)/bench/block.bin",
                    headers: [("x-ms-blob-type", "BlockBlob")],
                    contentLength: payload.count
                ),
                body: payload
            )
            #expect(block.status == 201)
            let pageURL = "\(base)/bench/page.vhd"
            _ = try await cloud.send(
                .PUT,
                pageURL,
                headers: signer.headers(
                    method: "PUT",
                    url: pageURL,
                    headers: [("x-ms-blob-type", "PageBlob"), ("x-ms-blob-content-length", String(Self.blobSize))]
                )
            )
            for offset in stride(from: 0, to: Self.blobSize, by: Self.rangeSize) {
                let url = "\(pageURL)?comp=page"
                let headers = [
                    ("x-ms-page-write", "update"), ("x-ms-range", "bytes=\(offset)-\(offset + Self.rangeSize - 1)"),
                ]
                let reply = try await cloud.send(
                    .PUT,
                    url,
                    headers: signer.headers(method: "PUT", url: url, headers: headers, contentLength: Self.rangeSize),
                    body: Array(payload[offset..<(offset + Self.rangeSize)])
                )
                #expect(reply.status == 201)
            }
            let sas = signer.blobSAS(
                container: "bench",
                blob: nil,
                permissions: "r",
                expiry: Date().addingTimeInterval(3600)
            )
            for name in ["block.bin", "page.vhd"] {
                let rate = try await Self.measure(cloud: cloud, url: "\(base)/bench/\(name)?\(sas)", payload: payload)
                print("LocalCloud ranged GET throughput (\(name), 4 readers, 4 MiB ranges, HTTPS): \(Int(rate)) MB/s")
                #expect(rate > 0)
            }
        }
    }

    private static func measure(cloud: TestCloud, url: String, payload: [UInt8]) async throws -> Double {
        let readers = 4
        let requestsPerReader = 64
        let start = ContinuousClock.now
        let bytes = try await withThrowingTaskGroup(of: Int.self) { group in
            for reader in 0..<readers {
                group.addTask {
                    var total = 0
                    for index in 0..<requestsPerReader {
                        let offset = ((reader * 7 + index * 5) % (blobSize / rangeSize)) * rangeSize
                        var request = HTTPClientRequest(url: url)
                        request.headers.add(name: "x-ms-range", value: "bytes=\(offset)-\(offset + rangeSize - 1)")
                        request.headers.add(name: "x-ms-version", value: "2021-12-02")
                        let response = try await cloud.client.execute(request, timeout: .seconds(60))
                        var received = 0
                        var first: UInt8?
                        for try await chunk in response.body {
                            if first == nil { first = chunk.getInteger(at: chunk.readerIndex) }
                            received += chunk.readableBytes
                        }
                        guard response.status.code == 206, received == rangeSize, first == payload[offset] else {
                            throw LocalCloudError(
                                .state,
                                "Bad ranged read at \(offset): \(response.status) \(received) bytes"
                            )
                        }
                        total += received
                    }
                    return total
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(bytes) / seconds / 1_000_000
    }
}
