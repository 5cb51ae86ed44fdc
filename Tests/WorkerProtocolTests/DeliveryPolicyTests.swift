import BackupRepository
import Foundation
import Testing
import WorkerProtocol

@Suite("Delivery policy")
struct DeliveryPolicyTests {
    let policy = DeliveryPolicy()
    let job = Fixtures.envelope(.ping(Ping()))

    func backupJob() throws -> Envelope { Fixtures.envelope(try Fixtures.body(.backup), attempt: 2) }

    @Test("a message is processed up to the fifth delivery and poisoned at the sixth")
    func dequeueLimit() throws {
        let envelope = try backupJob()
        for count in 1...5 {
            #expect(policy.admit(.success(envelope), dequeueCount: count, now: Fixtures.sent) == .process(envelope))
        }
        guard
            case .poison(let cause, let reason, let header) = policy.admit(
                .success(envelope),
                dequeueCount: 6,
                now: Fixtures.sent
            )
        else {
            Issue.record("the sixth delivery was not poisoned")
            return
        }
        #expect(cause == .tooManyDeliveries)
        #expect(reason.contains("6 times"))
        #expect(header?.jobID == envelope.jobID)
    }

    @Test("a message that does not decode is poisoned at its first delivery")
    func undecodable() {
        let error = ProtocolError(.malformed, header: EnvelopeHeader(jobID: "j"), "bad")
        #expect(
            policy.admit(.failure(error), dequeueCount: 1, now: Fixtures.sent)
                == .poison(.undecodable, reason: "bad", header: EnvelopeHeader(jobID: "j"))
        )
        let unsupported = ProtocolError(.unsupported, "newer")
        #expect(
            policy.admit(.failure(unsupported), dequeueCount: 1, now: Fixtures.sent)
                == .poison(.unsupported, reason: "newer", header: nil)
        )
    }

    @Test("a job past its deadline is answered as expired, a ping is not")
    func deadline() throws {
        let envelope = try backupJob()
        let late = envelope.deadline.addingTimeInterval(1)
        #expect(policy.admit(.success(envelope), dequeueCount: 1, now: late) == .expired(envelope))
        #expect(policy.admit(.success(job), dequeueCount: 1, now: late) == .process(job))
        let failure = policy.expiredFailure(envelope, now: late)
        #expect(failure.failureClass == .permanent)
        #expect(failure.code == .deadlineExceeded)
        #expect(failure.reason.contains(envelope.jobID))
    }

    @Test("visibility is renewed at half the timeout")
    func renewal() {
        #expect(policy.renewalInterval == .seconds(150))
        #expect(DeliveryPolicy(visibilityTimeout: .seconds(60)).renewalInterval == .seconds(30))
    }

    @Test("a lost pop receipt stops the job; other renewal failures are retried while the message is held")
    func renewalFailure() {
        let now = Fixtures.sent
        #expect(policy.renewalFailed(status: 404, heldUntil: now.addingTimeInterval(200), now: now) == .stopJob)
        #expect(policy.renewalFailed(status: 400, heldUntil: now.addingTimeInterval(200), now: now) == .stopJob)
        #expect(policy.renewalFailed(status: 503, heldUntil: now.addingTimeInterval(200), now: now) == .retry)
        #expect(policy.renewalFailed(status: nil, heldUntil: now.addingTimeInterval(200), now: now) == .retry)
        #expect(policy.renewalFailed(status: 503, heldUntil: now.addingTimeInterval(20), now: now) == .stopJob)
    }

    @Test("replies of older attempts are stale, of unknown ones ignored")
    func replyAttempts() {
        #expect(DeliveryPolicy.relevance(ofReplyAttempt: 3, currentAttempt: 3) == .current)
        #expect(DeliveryPolicy.relevance(ofReplyAttempt: 2, currentAttempt: 3) == .stale)
        #expect(DeliveryPolicy.relevance(ofReplyAttempt: 4, currentAttempt: 3) == .unknownAttempt)
    }

    @Test("a job whose restore point exists is found by its marker, whatever the attempt")
    func answeredAgain() throws {
        let first = try backupJob()
        var retry = first
        retry.attempt = 3
        let marked = JobMarker(first).stamped(on: .object(["policy": .string("gold")]))
        #expect(marked["policy"] == .string("gold"))
        #expect(JobMarker(metadata: marked) == JobMarker(first))
        var otherJob = Fixtures.envelope(.ping(Ping()))
        otherJob.jobID = "job-20261202-0099"
        let existing: [(id: RestorePointID, metadata: JSONValue)] = [
            (RestorePointID("00000000000000000000000000000001")!, .object(["policy": .string("gold")])),
            (RestorePointID("00000000000000000000000000000002")!, JobMarker(otherJob).stamped(on: .null)),
            (RestorePointID("00000000000000000000000000000003")!, marked),
        ]
        #expect(DeliveryPolicy.publishedRestorePoint(of: retry.jobID, among: existing) == existing[2].id)
        #expect(DeliveryPolicy.publishedRestorePoint(of: "job-other", among: existing) == nil)
    }
}
