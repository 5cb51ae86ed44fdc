import Foundation
import LocalCloudTesting
import Testing
import WorkerProtocol

@testable import Worker

@Suite struct ControlMessageTests {
    @Test func aPingIsAnsweredWithAHeartbeatNamingNoRunningJobWhenIdle() async throws {
        try await JobHarness.with { harness in
            try await harness.send(harness.envelope("ping-1", .ping(Ping())))
            let replies = harness.replies
            let queues = harness.queues
            let answered = try await eventually(.seconds(120)) {
                try await replies.drain(queues, queue: JobHarness.replyQueue)
                return replies.all.contains { $0.jobID == "ping-1" }
            }
            try #require(answered)
            let reply = try #require(replies.all.first { $0.jobID == "ping-1" })
            guard case .heartbeat(let heartbeat) = reply.body else {
                Issue.record("a ping was answered with \(reply.kind), not a heartbeat")
                return
            }
            #expect(heartbeat.runningJobs.isEmpty)
            #expect(heartbeat.concurrency == 1)
            #expect(reply.sender == .worker(harness.workerID))
            #expect(reply.sessionID == "session-1" && reply.attempt == 1)
        }
    }

    @Test func theHeartbeatServiceReportsTheRunningJobs() async throws {
        let activity = WorkerActivity(concurrency: 2)
        let idle = HeartbeatService.envelope(workerID: "worker-1", activity: activity, interval: .seconds(60))
        #expect(idle.jobID == HeartbeatService.jobID && idle.sessionID == HeartbeatService.noSession)
        #expect(idle.deadline > idle.sent)
        try await activity.running("job-7") {
            let busy = HeartbeatService.envelope(workerID: "worker-1", activity: activity, interval: .seconds(60))
            guard case .heartbeat(let heartbeat) = busy.body else {
                Issue.record("not a heartbeat")
                return
            }
            #expect(heartbeat.runningJobs == ["job-7"])
            #expect(heartbeat.concurrency == 2)
            // The envelope is a valid message: it encodes and decodes.
            let text = try EnvelopeCodec().encode(busy, overflow: nil).text
            #expect(try EnvelopeCodec().decode(text: text).body == busy.body)
        }
        #expect(activity.runningJobs.isEmpty)
    }
}
