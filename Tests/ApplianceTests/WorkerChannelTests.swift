import AzureKit
import BackupRepository
import Foundation
import LocalCloudTesting
import NIOCore
import Synchronization
import Testing
import WorkerProtocol

@testable import Appliance

/// The appliance's side of a worker's queues, against LocalCloud's queues in the private account (no VM).
@Suite struct WorkerChannelTests {
    static func channel(_ fleet: FleetCloud, worker: String = "worker-a") async throws -> WorkerChannel {
        let bootstrap = fleet.bootstrap
        try await bootstrap.prepareMessaging(workerID: worker, logger: TestCloud.quiet)
        var channel = WorkerChannel(
            client: fleet.cloud.client,
            messaging: fleet.network.storage,
            applianceID: bootstrap.applianceID,
            workerID: worker,
            key: WorkerKey.generate()
        )
        channel.settings.replyVisibility = .seconds(1)
        channel.settings.pollInterval = .milliseconds(50)
        return channel
    }

    /// Puts a reply on the appliance's reply queue as a worker would.
    static func reply(
        _ channel: WorkerChannel,
        from worker: String,
        job: String,
        attempt: Int,
        _ body: MessageBody
    ) async throws {
        let envelope = Envelope(
            jobID: job,
            sessionID: "session-1",
            taskID: "task-1",
            attempt: attempt,
            sent: Date(),
            deadline: Date().addingTimeInterval(3600),
            sender: .worker(worker),
            body: body
        )
        let text = try EnvelopeCodec().encode(envelope, overflow: nil).text
        try await channel.messaging.queues(channel.client).putMessage(
            queue: channel.replyQueue,
            text: text,
            logger: TestCloud.quiet
        )
    }

    @Test func repliesOfTheFollowedAttemptAreAppliedAndDeletedOthersLeftOrIgnored() async throws {
        try await FleetCloud.with { fleet in
            let channel = try await Self.channel(fleet)
            let progress = MessageBody.progress(
                Progress(bytesTotal: 10, bytesRead: 5, bytesProcessed: 5, bytesStored: 1, bytesPerSecond: 1)
            )
            // Not for this follower: another job of the worker, and the same job ID from another worker.
            try await Self.reply(channel, from: "worker-a", job: "job-2", attempt: 2, progress)
            try await Self.reply(channel, from: "worker-b", job: "job-1", attempt: 2, progress)
            // An older attempt of the job: ignored and deleted.
            try await Self.reply(channel, from: "worker-a", job: "job-1", attempt: 1, progress)
            // Not a protocol message at all: moved to the poison queue.
            let queues = channel.messaging.queues(channel.client)
            try await queues.putMessage(queue: channel.replyQueue, text: "not a reply", logger: TestCloud.quiet)
            // The followed attempt.
            try await Self.reply(
                channel,
                from: "worker-a",
                job: "job-1",
                attempt: 2,
                .accepted(Accepted(dequeueCount: 1))
            )
            try await Self.reply(channel, from: "worker-a", job: "job-1", attempt: 2, progress)
            let success = JobSuccess(statistics: JobStatistics(bytesRead: 5))
            try await Self.reply(channel, from: "worker-a", job: "job-1", attempt: 2, .result(.success(success)))

            let job = JobIdentity(
                jobID: "job-1",
                sessionID: "session-1",
                taskID: "task-1",
                attempt: 2,
                deadline: Date().addingTimeInterval(600)
            )
            let seen = Mutex<[MessageKind]>([])
            let result = try await channel.follow(job, logger: TestCloud.quiet) { envelope in
                seen.withLock { $0.append(envelope.kind) }
                if case .result(let result) = envelope.body { return result }
                return nil
            }
            #expect(result == .success(success))
            #expect(seen.withLock { $0 } == [.accepted, .progress, .result])
            // The two replies for other followers become visible again; the rest is gone.
            let left = try await eventually(timeout: .seconds(120)) {
                try await queues.peekMessages(queue: channel.replyQueue, count: 32, logger: TestCloud.quiet).count == 2
            }
            #expect(left)
            let remaining = try await queues.peekMessages(queue: channel.replyQueue, count: 32, logger: TestCloud.quiet)
            let codec = EnvelopeCodec()
            let owners = try remaining.map { try codec.decode(text: $0.text) }.map { "\($0.sender.id)/\($0.jobID)" }
            #expect(owners.sorted() == ["worker-a/job-2", "worker-b/job-1"])
            let poison = try await queues.peekMessages(
                queue: QueueNames.repliesPoison(appliance: channel.applianceID),
                count: 32,
                logger: TestCloud.quiet
            )
            #expect(poison.map(\.text) == ["not a reply"])
        }
    }

    @Test func aJobWithoutAResultEndsAtItsDeadlineWithAClearError() async throws {
        try await FleetCloud.with { fleet in
            let channel = try await Self.channel(fleet)
            let job = JobIdentity(
                jobID: "job-late",
                sessionID: "s",
                taskID: "t",
                attempt: 1,
                deadline: Date().addingTimeInterval(1)
            )
            let error = await #expect(throws: ApplianceError.self) {
                _ = try await channel.follow(job, logger: TestCloud.quiet) { _ -> Int? in nil }
            }
            #expect(error?.description.contains("job-late") == true)
            #expect(error?.description.contains("deadline") == true)
        }
    }

    @Test func aLargeJobTravelsThroughTheOverflowContainer() async throws {
        try await FleetCloud.with { fleet in
            let channel = try await Self.channel(fleet)
            let context = channel.sealing("job-big")
            let job = BackupJob(
                disks: [],
                repository: RepositoryAccess(
                    location: RepositoryLocation(
                        blobEndpoint: fleet.network.storage.blobEndpoint,
                        container: "backups",
                        credential: .sas(try context.seal("sv=x&sig=y", as: .credential(.repository)))
                    ),
                    password: try context.seal("pw", as: .password(.repository))
                ),
                vm: VMConfiguration(
                    name: "vm",
                    resourceID: "/vm",
                    region: "westeurope",
                    size: "s",
                    osType: .linux,
                    disks: []
                ),
                metadata: .object(["notes": .string(String(repeating: "n", count: 60_000))])
            )
            let identity = JobIdentity(
                jobID: "job-big",
                sessionID: "s",
                taskID: "t",
                attempt: 1,
                deadline: Date().addingTimeInterval(600)
            )
            try await channel.send(.backup(job), job: identity, logger: TestCloud.quiet)
            let queues = channel.messaging.queues(channel.client)
            let messages = try await queues.peekMessages(queue: channel.jobQueue, count: 1, logger: TestCloud.quiet)
            let pointer = try EnvelopeCodec().decode(text: try #require(messages.first).text)
            guard case .overflow(let overflow) = pointer.body else {
                Issue.record("expected an overflow pointer, got \(pointer.kind)")
                return
            }
            #expect(overflow.kind == .backup)
            let blob = try await channel.messaging.blobs(channel.client).downloadData(
                container: QueueNames.overflowContainer,
                blob: overflow.blobName,
                logger: TestCloud.quiet
            )
            let resolved = try EnvelopeCodec().resolve(pointer, blob: Data(blob.readableBytesView))
            #expect(resolved.body == .backup(job))
            // The blob's URL, sealed for the worker, opens to a read SAS of that blob.
            let url = try context.open(overflow.url, as: .overflowBlob)
            #expect(url.contains(overflow.blobName) && url.contains("sp=r"))
        }
    }
}
