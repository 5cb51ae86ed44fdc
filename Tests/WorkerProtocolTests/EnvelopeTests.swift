import BackupRepository
import Foundation
import Testing
import WorkerProtocol

@Suite("Envelopes")
struct EnvelopeTests {
    let codec = EnvelopeCodec()

    @Test("every kind survives a round trip through queue text", arguments: MessageKind.allCases)
    func roundTrip(kind: MessageKind) throws {
        let envelope = Fixtures.envelope(try Fixtures.body(kind), attempt: 3)
        let message = try codec.encode(envelope, overflow: nil)
        #expect(message.overflowBlob == nil)
        let decoded = try codec.decode(text: message.text)
        #expect(decoded == envelope)
        #expect(decoded.kind == kind)
        #expect(decoded.version == .current)
    }

    @Test("the wire form names the kind, the version and the header fields")
    func wireForm() throws {
        let message = try codec.encode(Fixtures.envelope(.ping(Ping())), overflow: nil)
        let object = try #require(try JSONSerialization.jsonObject(with: Fixtures.json(message.text)) as? [String: Any])
        #expect(object["version"] as? String == "1.0")
        #expect(object["kind"] as? String == "ping")
        #expect(object["jobID"] as? String == Fixtures.jobID)
        #expect(object["attempt"] as? Int == 1)
        #expect(object["sent"] as? String == "2026-12-03T12:13:20.000Z")
        let sender = try #require(object["sender"] as? [String: Any])
        #expect(sender["role"] as? String == "appliance")
    }

    @Test("a reply copies the job, session, task, attempt and deadline")
    func replyCopiesHeader() throws {
        let job = Fixtures.envelope(try Fixtures.body(.backup), attempt: 4)
        let later = Fixtures.sent.addingTimeInterval(5)
        let reply = job.reply(.accepted(Accepted(dequeueCount: 1)), from: .worker(Fixtures.workerID), sent: later)
        #expect(reply.jobID == job.jobID)
        #expect(reply.sessionID == job.sessionID)
        #expect(reply.taskID == job.taskID)
        #expect(reply.attempt == 4)
        #expect(reply.deadline == job.deadline)
        #expect(reply.sent == later)
        #expect(reply.sender == .worker(Fixtures.workerID))
    }

    @Test("failures round-trip with their class, code and reason")
    func failureRoundTrip() throws {
        let failure = JobFailure(
            .permanent,
            code: .sasExpired,
            reason: "The snapshot SAS of disk os expired; start the session again so the appliance grants a new one."
        )
        let envelope = Fixtures.envelope(.result(.failure(failure)))
        let text = try codec.encode(envelope, overflow: nil).text
        #expect(try codec.decode(text: text) == envelope)
        let json = String(decoding: try Fixtures.json(text), as: UTF8.self)
        #expect(json.contains(#""class":"permanent""#))
        #expect(json.contains(#""code":"sasExpired""#))
    }

    @Test("an unknown failure code is kept as written")
    func unknownFailureCode() throws {
        let envelope = Fixtures.envelope(
            .result(.failure(JobFailure(.transient, code: FailureCode(rawValue: "quotaSoon"), reason: "r")))
        )
        let decoded = try codec.decode(text: try codec.encode(envelope, overflow: nil).text)
        guard case .result(.failure(let failure)) = decoded.body else {
            Issue.record("expected a failure, got \(decoded.kind)")
            return
        }
        #expect(failure.code.rawValue == "quotaSoon")
    }

    @Test("a backup job sorts its disks OS first and totals their sizes")
    func backupDisks() throws {
        let job = try Fixtures.backup()
        #expect(job.disks.map(\.slot) == [.os, .data(lun: 0)])
        #expect(job.totalBytes == 34 << 30)
    }
}
