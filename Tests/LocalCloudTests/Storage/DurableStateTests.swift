import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

/// State files: secrets are never readable by others, reads create no files, and blob records written outside
/// the account's lock end up on disk exactly as they are served.
@Suite struct DurableStateTests {
    private static func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    @Test func filesHoldingSecretsAreOwnerOnly() async throws {
        try await TestCloud.with { cloud in
            let modes = try ["endpoints.json", "identity/signing-key.pem", "tls/ca-key.pem"].map {
                try Self.mode(cloud.folder.appendingPathComponent($0))
            }
            #expect(modes == [0o600, 0o600, 0o600])
        }
    }

    @Test func readingALayerWhoseDataFileIsMissingCreatesNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pagefiles-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try PageStore(directory: folder)
        let volume = try store.createVolume(size: 1 << 20)
        let layers = folder.appendingPathComponent("layers")
        let data = try #require(
            try FileManager.default.contentsOfDirectory(atPath: layers.path).first { $0.hasSuffix(".data") }
        )
        try FileManager.default.removeItem(at: layers.appendingPathComponent(data))
        let segments = try store.segments(of: .volume(volume), in: 0..<4096)
        #expect(segments.allSatisfy { $0.source == .zeros })
        var bytes = [UInt8](repeating: 0xff, count: 4096)
        try bytes.withUnsafeMutableBytes { buffer in
            try store.readSegment(
                path: layers.appendingPathComponent(data).path,
                offset: 0,
                count: buffer.count,
                into: buffer.baseAddress!
            )
        }
        #expect(bytes.allSatisfy { $0 == 0 })
        #expect(!FileManager.default.fileExists(atPath: layers.appendingPathComponent(data).path))
    }

    @Test func concurrentBlobUpdatesPersistTheLastServedRecord() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blobrecords-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let blob = try await TestCloud.with(folder: folder) { cloud in
            let key = try await cloud.makeAccount("records1")
            let signer = SharedKeySigner(account: "records1", key: key)
            let base = "\(cloud.endpoints.authorityHost)/records1"
            let containerURL = "\(base)/records?restype=container"
            _ = try await cloud.send(.PUT, containerURL, headers: signer.headers(method: "PUT", url: containerURL))
            let blob = "\(base)/records/record"
            let created = try await cloud.send(
                .PUT,
                blob,
                headers: signer.headers(
                    method: "PUT",
                    url: blob,
                    headers: [("x-ms-blob-type", "BlockBlob")],
                    contentLength: 3
                ),
                body: Array("abc".utf8)
            )
            try #require(created.status == 201)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        for round in 0..<15 {
                            let url = "\(blob)?comp=metadata"
                            let headers = [("x-ms-meta-writer", "\(writer)-\(round)")]
                            let reply = try await cloud.send(
                                .PUT,
                                url,
                                headers: signer.headers(method: "PUT", url: url, headers: headers)
                            )
                            try #require(reply.status == 200, "Set Blob Metadata: \(reply.status) \(reply.text)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let served = try await cloud.send(.HEAD, blob, headers: signer.headers(method: "HEAD", url: blob))
            return (etag: served.header("etag"), writer: served.header("x-ms-meta-writer"))
        }
        #expect(blob.writer != nil)
        let reopened = try BlobStore(root: folder.appendingPathComponent("storage/records1/blob"))
        let record = try #require(reopened.blob("records", "record"))
        #expect(record.metadata["writer"] == blob.writer)
        #expect(blob.etag == "\"\(record.etag)\"")
    }
}
