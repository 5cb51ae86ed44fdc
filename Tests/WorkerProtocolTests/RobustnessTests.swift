import Foundation
import Testing
import WorkerProtocol

@Suite("Robustness")
struct RobustnessTests {
    let codec = EnvelopeCodec()

    @Test("every truncation of every kind is refused with a protocol error", arguments: MessageKind.allCases)
    func truncations(kind: MessageKind) throws {
        let json = try codec.json(Fixtures.envelope(try Fixtures.body(kind)))
        for length in stride(from: 0, to: json.count, by: max(1, json.count / 97)) {
            let error = try #require(throws: ProtocolError.self) { try codec.envelope(json: json.prefix(length)) }
            #expect(error.code == .malformed)
        }
    }

    @Test("random byte flips never crash the reader: it decodes or refuses with a protocol error")
    func flips() throws {
        var generator = SeededGenerator(seed: 0x5eed)
        let json = try codec.json(Fixtures.envelope(try Fixtures.body(.backup)))
        var refused = 0
        for _ in 0..<400 {
            var bytes = json
            let index = Int.random(in: 0..<bytes.count, using: &generator)
            bytes[bytes.startIndex + index] = UInt8.random(in: 0...255, using: &generator)
            do {
                _ = try codec.envelope(json: bytes)
            } catch {
                refused += 1
            }
        }
        #expect(refused > 0)
    }

    @Test("a rejection reply keeps the header it could read, and says unknown otherwise")
    func rejection() throws {
        let rejected = Rejected(messageID: "m", dequeueCount: 1, cause: .undecodable, reason: "r", poisonQueue: "p")
        let known = Envelope.rejection(
            rejected,
            header: EnvelopeHeader(jobID: "job-1", sessionID: "s-1", taskID: "t-1", attempt: 2),
            workerID: Fixtures.workerID,
            sent: Fixtures.sent
        )
        #expect(known.jobID == "job-1")
        #expect(known.attempt == 2)
        let unknown = Envelope.rejection(rejected, header: nil, workerID: Fixtures.workerID, sent: Fixtures.sent)
        #expect(unknown.jobID == Envelope.unknownID)
        #expect(unknown.attempt == 0)
        #expect(try codec.decode(text: try codec.encode(unknown, overflow: nil).text) == unknown)
    }

    @Test("plain http is accepted for loopback only")
    func loopbackOnly() {
        #expect(SASURL("http://127.0.0.1:10001/acct-queue/jobs?sig=x") != nil)
        #expect(SASURL("http://nimbusq.queue.core.windows.net/jobs?sig=x") == nil)
        #expect(
            SASURL("https://nimbusq.queue.core.windows.net/jobs?sv=1&sig=x")?.description
                == "https://nimbusq.queue.core.windows.net/jobs?<SAS redacted>"
        )
    }
}

/// A small deterministic generator (SplitMix64), so the byte-flip test is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var value = state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }
}
