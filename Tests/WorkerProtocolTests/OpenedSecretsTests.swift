import BackupRepository
import Foundation
import Testing
import WorkerProtocol

@Suite("Opening a job's secrets")
struct OpenedSecretsTests {
    let context = Fixtures.context
    let endpoint = URL(string: "https://10.20.2.4:443/")!

    @Test("a repository sealed by the appliance opens on the worker, for its role only")
    func repositoryRoundTrip() throws {
        for credential in [
            OpenedCredential.sas(Fixtures.containerSAS), .accountKey(account: "nimbusrepo", key: Fixtures.accountKey),
        ] {
            let access = try RepositoryAccess(
                blobEndpoint: endpoint,
                container: "backups",
                prefix: "vm/",
                credential: credential,
                password: Fixtures.password,
                role: .source,
                context: context
            )
            let opened = try access.open(as: .source, context: context)
            #expect(opened.credential == credential)
            #expect(opened.password == Fixtures.password)
            #expect(opened.container == "backups")
            let error = try #require(throws: SealError.self) { try access.open(as: .archive, context: context) }
            #expect(error.field == .credential(.archive))
            for text in [opened.description, String(reflecting: opened), access.description] {
                for secret in Fixtures.secrets { #expect(!text.contains(secret)) }
            }
        }
    }

    @Test("a disk's snapshot URLs open for its own slot only")
    func diskRoundTrip() throws {
        let disk = try BackupDisk(
            slot: .data(lun: 2),
            sizeBytes: 1 << 30,
            snapshotURL: Fixtures.snapshotSAS,
            previousSnapshotURL: Fixtures.previousSAS,
            context: context
        )
        let opened = try disk.open(context: context)
        #expect(opened.snapshotURL == Fixtures.snapshotSAS)
        #expect(opened.previousSnapshotURL == Fixtures.previousSAS)
        #expect(opened.description.contains("disk 2"))
        #expect(opened.description.contains("md-abc.blob.storage.azure.net/xyz/abcd?<SAS redacted>"))
        for secret in Fixtures.secrets { #expect(!opened.description.contains(secret)) }

        var moved = disk
        moved.slot = .data(lun: 3)
        let error = try #require(throws: SealError.self) { try moved.open(context: context) }
        #expect(error.field == .snapshot(.data(lun: 3)))

        let full = try BackupDisk(slot: .os, sizeBytes: 1, snapshotURL: Fixtures.snapshotSAS, context: context)
        #expect(try full.open(context: context).previousSnapshotURL == nil)
    }

    @Test("SAS tokens are scrubbed from text")
    func redaction() {
        let text = "GET \(Fixtures.snapshotSAS) failed; token sv=1&sig=abc%2Bdef&se=2 was refused"
        let scrubbed = SASRedaction.scrub(text)
        #expect(
            scrubbed
                == "GET https://md-abc.blob.storage.azure.net/xyz/abcd?<SAS redacted> failed; token sv=1&sig=<redacted>&se=2 was refused"
        )
        #expect(SASRedaction.scrub("no URL here") == "no URL here")
        #expect(SASRedaction.scrub("\"https://a/b\"") == "\"https://a/b\"")
    }

    @Test("an overflow target over the container SAS names the blob inside the container")
    func containerTarget() throws {
        let container = try #require(SASURL("https://10.20.2.5/nimbusq/overflow?sv=2024-08-04&sp=rcw&sig=abc"))
        let target = OverflowTarget.container(container, key: Fixtures.key, workerID: Fixtures.workerID)
        #expect(
            try target.readURL("w/j/result-1-ab.json")
                == "https://10.20.2.5/nimbusq/overflow/w/j/result-1-ab.json?sv=2024-08-04&sp=rcw&sig=abc"
        )
    }

    @Test("restore point metadata carries the job under nimbus.job")
    func marker() throws {
        let envelope = Fixtures.envelope(try Fixtures.body(.backup), attempt: 2)
        let stamped = JobMarker(envelope).stamped(on: .object(["policy": .string("gold")]))
        #expect(stamped["nimbus.job"] == .string(Fixtures.jobID))
        #expect(stamped["nimbus.attempt"] == .integer(2))
        #expect(stamped["policy"] == .string("gold"))
        let bare = try #require(JobMarker(metadata: .object(["nimbus.job": .string("job-x")])))
        #expect(bare.jobID == "job-x")
        #expect(bare.attempt == nil)
        #expect(JobMarker(metadata: .object(["nimbus.job": .integer(1)])) == nil)
    }

    @Test("a retention policy travels with its rules and time zone")
    func retentionShape() throws {
        let envelope = Fixtures.envelope(try Fixtures.body(.maintenance))
        let json = String(
            decoding: try Fixtures.json(try EnvelopeCodec().encode(envelope, overflow: nil).text),
            as: UTF8.self
        )
        #expect(json.contains(#""keepDaily":7"#))
        #expect(json.contains(#""keepTags":["legal"]"#))
        #expect(json.contains(#""prune":true"#))
        #expect(json.contains(#""timeZone":{"identifier":"#))
    }
}
