import BackupRepository
import Crypto
import Foundation
import Testing
import WorkerProtocol

@Suite("Overflow to blob")
struct OverflowTests {
    let codec = EnvelopeCodec()
    let target = OverflowTarget(key: Fixtures.key, workerID: Fixtures.workerID) { name in
        "https://nimbusq.blob.core.windows.net/overflow/\(name)?" + Fixtures.overflowSAS
    }

    /// A reply whose JSON is exactly `size` bytes (the reason string is padded).
    func envelope(jsonSize size: Int) throws -> Envelope {
        func make(_ padding: Int) -> Envelope {
            Fixtures.envelope(
                .rejected(
                    Rejected(
                        messageID: "m",
                        dequeueCount: 1,
                        cause: .undecodable,
                        reason: String(repeating: "x", count: padding),
                        poisonQueue: "p"
                    )
                )
            )
        }
        let base = try codec.json(make(0)).count
        let envelope = make(size - base)
        #expect(try codec.json(envelope).count == size)
        return envelope
    }

    @Test("48 KiB of JSON is sent inline as exactly 64 KiB of text")
    func largestInline() throws {
        let message = try codec.encode(try envelope(jsonSize: EnvelopeCodec.maxInlineBytes), overflow: target)
        #expect(message.overflowBlob == nil)
        #expect(message.text.utf8.count == 65_536)
        #expect(try codec.decode(text: message.text).kind == .rejected)
    }

    @Test("one byte more goes to a blob, and the pointer leads back to the same envelope")
    func smallestOverflow() throws {
        let original = try envelope(jsonSize: EnvelopeCodec.maxInlineBytes + 1)
        let message = try codec.encode(original, overflow: target)
        let blob = try #require(message.overflowBlob)
        #expect(blob.bytes.count == EnvelopeCodec.maxInlineBytes + 1)
        #expect(blob.sha256 == SHA256.hash(data: blob.bytes).map { String(format: "%02x", $0) }.joined())
        #expect(message.text.utf8.count < 2_048)
        let pointerEnvelope = try codec.decode(text: message.text)
        #expect(pointerEnvelope.kind == .overflow)
        #expect(pointerEnvelope.jobID == original.jobID)
        #expect(pointerEnvelope.attempt == original.attempt)
        guard case .overflow(let pointer) = pointerEnvelope.body else {
            Issue.record("expected a pointer, got \(pointerEnvelope.kind)")
            return
        }
        #expect(pointer.kind == .rejected)
        #expect(pointer.length == blob.bytes.count)
        #expect(pointer.blobName == blob.name)
        #expect(blob.name.hasPrefix("\(Fixtures.workerID)/\(Fixtures.jobID)/rejected-1-"))
        let url = try Fixtures.context.open(pointer.url, as: .overflowBlob)
        #expect(url == "https://nimbusq.blob.core.windows.net/overflow/\(blob.name)?" + Fixtures.overflowSAS)
        #expect(!message.text.contains("OVERFLOWSIG"))
        #expect(!String(decoding: try Fixtures.json(message.text), as: UTF8.self).contains("OVERFLOWSIG"))
        #expect(try codec.resolve(pointerEnvelope, blob: blob.bytes) == original)
    }

    @Test("a job with a large configuration overflows and comes back whole")
    func largeJob() throws {
        var job = try Fixtures.backup()
        job.metadata = .object(["notes": .string(String(repeating: "n", count: 200_000))])
        let original = Fixtures.envelope(.backup(job))
        let message = try codec.encode(original, overflow: target)
        let blob = try #require(message.overflowBlob)
        #expect(try codec.resolve(try codec.decode(text: message.text), blob: blob.bytes) == original)
    }

    @Test("too large with no overflow target is refused")
    func tooLargeWithoutTarget() throws {
        let big = try envelope(jsonSize: EnvelopeCodec.maxInlineBytes + 1)
        let error = try #require(throws: ProtocolError.self) { try codec.encode(big, overflow: nil) }
        #expect(error.code == .tooLarge)
        #expect(error.message.contains("\(EnvelopeCodec.maxInlineBytes + 1) bytes"))
    }

    @Test("a truncated, altered or swapped blob is refused")
    func mismatchedBlob() throws {
        let message = try codec.encode(try envelope(jsonSize: 60_000), overflow: target)
        let blob = try #require(message.overflowBlob)
        let pointer = try codec.decode(text: message.text)

        let short = try #require(throws: ProtocolError.self) { try codec.resolve(pointer, blob: blob.bytes.dropLast()) }
        #expect(short.code == .overflowMismatch)
        #expect(short.message.contains("not 60000"))

        var altered = blob.bytes
        altered[altered.startIndex + 30_000] ^= 0x20
        let changed = try #require(throws: ProtocolError.self) { try codec.resolve(pointer, blob: altered) }
        #expect(changed.code == .overflowMismatch)
        #expect(changed.message.contains("SHA-256"))

        var otherAttempt = try envelope(jsonSize: 60_000)
        otherAttempt.attempt = 2
        let other = try #require(try codec.encode(otherAttempt, overflow: target).overflowBlob)
        var forged = pointer
        if case .overflow(var body) = forged.body {
            body.length = other.bytes.count
            body.sha256 = other.sha256
            forged.body = .overflow(body)
        }
        let swapped = try #require(throws: ProtocolError.self) { try codec.resolve(forged, blob: other.bytes) }
        #expect(swapped.code == .overflowMismatch)
    }
}
