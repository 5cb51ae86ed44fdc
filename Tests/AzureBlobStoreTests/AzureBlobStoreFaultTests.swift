import AzureBlobStore
import AzureKit
import BackupRepository
import Foundation
import LocalCloud
import NIOCore
import NIOHTTP1
import Testing

/// How `AzureBlobStore` behaves when Azure's answers are lost or incomplete.
@Suite struct AzureBlobStoreFaultTests {
    /// A LocalCloud fault rule for one blob operation, used once.
    static func once(_ kind: FaultRule.Kind, _ operation: String) -> FaultRules {
        var rule = FaultRule(kind: kind, service: "blob", operation: operation)
        rule.remaining = 1
        return FaultRules(rules: [rule])
    }

    /// Contents sent in one Put Blob (small) or in blocks and a Put Block List (large).
    static func contents(for operation: String) -> Data {
        let count = operation == "PutBlob" ? 1_000 : 20_000
        return Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) })
    }

    @Test(arguments: ["PutBlob", "PutBlockList"])
    func aCreateOnlyWriteWhoseAnswerWasLostSucceeds(operation: String) async throws {
        try await BlobStoreCloud.with { cloud in
            var store = try await cloud.sharedKeyStore(container: "lost")
            store.blockSize = 4096
            let contents = Self.contents(for: operation)
            try await cloud.faults.replace(Self.once(.loseResponse, operation))
            // The first attempt creates the blob and its answer is lost; the retry meets the blob. It is this
            // writer's own (same Content-MD5), so the write succeeded.
            try await store.put("locks/mine", contents: contents, mode: .createOnly)
            #expect(cloud.faults.rules.rules.first?.remaining == 0, "the answer of \(operation) was lost once")
            #expect(try await store.get("locks/mine") == contents)
            // A later create-only write of the same key is refused as usual.
            let error = await #expect(throws: ObjectStoreError.self) {
                try await store.put("locks/mine", contents: contents, mode: .createOnly)
            }
            #expect(error?.code == .alreadyExists)
        }
    }

    @Test(arguments: ["PutBlob", "PutBlockList"])
    func aRetriedCreateOnlyWriteThatMeetsAnotherWritersObjectFails(operation: String) async throws {
        try await BlobStoreCloud.with { cloud in
            var store = try await cloud.sharedKeyStore(container: "taken")
            store.blockSize = 4096
            let theirs = Data(Self.contents(for: operation).reversed())
            try await store.put("locks/contended", contents: theirs, mode: .createOnly)
            // The first attempt is dropped before it is handled, so the retry meets the other writer's blob.
            try await cloud.faults.replace(Self.once(.drop, operation))
            let error = await #expect(throws: ObjectStoreError.self) {
                try await store.put("locks/contended", contents: Self.contents(for: operation), mode: .createOnly)
            }
            #expect(error?.code == .alreadyExists)
            #expect(cloud.faults.rules.rules.first?.remaining == 0, "the request was retried")
            #expect(try await store.get("locks/contended") == theirs)
        }
    }

    @Test func aMissingLastModifiedFailsHeadAndListInsteadOfReadingAs1970() async throws {
        try await BlobStoreCloud.with(middleware: [WithoutLastModified()]) { cloud in
            let store = try await cloud.sharedKeyStore(container: "undated")
            try await store.put("packs/aa/old", contents: Data([1, 2, 3]))
            let headError = await #expect(throws: ObjectStoreError.self) { _ = try await store.head("packs/aa/old") }
            #expect(headError?.code == .io)
            #expect(headError?.key == "packs/aa/old")
            #expect(headError?.description.contains("Last-Modified") == true)
            let listError = await #expect(throws: ObjectStoreError.self) {
                _ = try await store.list(prefix: "packs/", continuation: nil)
            }
            #expect(listError?.code == .io)
            #expect(listError?.key == "packs/aa/old")
        }
    }
}

/// Removes every `Last-Modified` the service sends, as a header and in listing XML.
struct WithoutLastModified: AzureMiddleware {
    func handle(
        _ request: AzureHTTPRequest,
        context: AzureMiddlewareContext,
        next: AzureMiddlewareNext
    ) async throws -> AzureHTTPResponse {
        var response = try await next(request, context)
        response.headers.remove(name: "Last-Modified")
        guard request.url.query?.contains("comp=list") == true else { return response }
        let body = try await response.body.collect(upTo: 16 << 20)
        let stripped = String(buffer: body).replacingOccurrences(
            of: "<Last-Modified>[^<]*</Last-Modified>",
            with: "",
            options: .regularExpression
        )
        response.headers.remove(name: "Content-Length")
        response.body = AzureResponseBody(buffer: ByteBuffer(string: stripped))
        return response
    }
}
