import BackupRepository
import Foundation
import Testing
import WorkerProtocol

@Suite("Sealed secrets")
struct SealingTests {
    let codec = EnvelopeCodec()
    let context = Fixtures.context

    @Test("a sealed value opens with the same key, worker, job and field")
    func roundTrip() throws {
        let sealed = try context.seal(Fixtures.password, as: .password(.repository))
        #expect(try context.open(sealed, as: .password(.repository)) == Fixtures.password)
        #expect(sealed.keyID == Fixtures.key.keyID)
    }

    @Test("two seals of one value differ (fresh nonces)")
    func freshNonces() throws {
        let first = try context.seal(Fixtures.password, as: .password(.repository))
        let second = try context.seal(Fixtures.password, as: .password(.repository))
        #expect(first != second)
    }

    @Test("every altered byte fails to open, naming the field and job")
    func tamper() throws {
        let sealed = try context.seal(Fixtures.snapshotSAS, as: .snapshot("os"))
        for index in 8..<sealed.combined.count {
            var bytes = sealed.combined
            bytes[bytes.startIndex + index] ^= 0x01
            let error = try #require(throws: SealError.self) {
                try context.open(Sealed<String>(combined: bytes), as: .snapshot("os"))
            }
            #expect(error.code == .authenticationFailed)
            #expect(error.message.contains("disk.os.snapshot"))
            #expect(error.message.contains(Fixtures.jobID))
        }
    }

    @Test("a truncated seal fails as malformed")
    func truncated() throws {
        let sealed = try context.seal(Fixtures.password, as: .password(.repository))
        let error = try #require(throws: SealError.self) {
            try context.open(Sealed<String>(combined: sealed.combined.prefix(20)), as: .password(.repository))
        }
        #expect(error.code == .malformed)
    }

    @Test("a value sealed for another worker does not open")
    func wrongWorker() throws {
        let sealed = try context.seal(Fixtures.password, as: .password(.repository))
        let other = SealingContext(key: Fixtures.key, workerID: "worker-westeurope-02", jobID: Fixtures.jobID)
        let error = try #require(throws: SealError.self) { try other.open(sealed, as: .password(.repository)) }
        #expect(error.code == .authenticationFailed)
        #expect(error.message.contains("worker-westeurope-02"))
    }

    @Test("a value sealed under another worker's key fails as wrong key")
    func wrongKey() throws {
        let sealed = try context.seal(Fixtures.password, as: .password(.repository))
        let otherKey = WorkerKey.generate()
        let other = SealingContext(key: otherKey, workerID: Fixtures.workerID, jobID: Fixtures.jobID)
        let error = try #require(throws: SealError.self) { try other.open(sealed, as: .password(.repository)) }
        #expect(error.code == .wrongKey)
        #expect(error.message.contains(Fixtures.key.keyID))
        #expect(error.message.contains(otherKey.keyID))
    }

    @Test("a value moved to another job does not open")
    func wrongJob() throws {
        let sealed = try context.seal(Fixtures.password, as: .password(.repository))
        let other = SealingContext(key: Fixtures.key, workerID: Fixtures.workerID, jobID: "job-20261203-0002")
        let error = try #require(throws: SealError.self) { try other.open(sealed, as: .password(.repository)) }
        #expect(error.code == .authenticationFailed)
        #expect(error.message.contains("job-20261203-0002"))
    }

    @Test("a value moved to another field does not open")
    func wrongField() throws {
        let snapshot = try context.seal(Fixtures.snapshotSAS, as: .snapshot("os"))
        for field: SealedField in [.snapshot("0"), .previousSnapshot("os"), .credential(.repository), .overflowBlob] {
            let error = try #require(throws: SealError.self) { try context.open(snapshot, as: field) }
            #expect(error.code == .authenticationFailed)
            #expect(error.field == field)
        }
        let password = try context.seal(Fixtures.password, as: .password(.source))
        #expect(throws: SealError.self) { try context.open(password, as: .password(.archive)) }
    }

    @Test("swapping two disks' snapshot URLs inside a message is caught")
    func swappedDisks() throws {
        var job = try Fixtures.backup()
        let first = job.disks[0].snapshot
        job.disks[0].snapshot = job.disks[1].snapshot
        job.disks[1].snapshot = first
        let decoded = try codec.decode(text: try codec.encode(Fixtures.envelope(.backup(job)), overflow: nil).text)
        guard case .backup(let received) = decoded.body else {
            Issue.record("expected a backup, got \(decoded.kind)")
            return
        }
        #expect(throws: SealError.self) { try context.open(received.disks[0].snapshot, as: .snapshot("os")) }
        #expect(throws: SealError.self) { try context.open(received.disks[1].snapshot, as: .snapshot("0")) }
    }

    @Test("a value of another type fails as malformed")
    func wrongType() throws {
        let sealed = try context.seal("not a number", as: SealedField("test.value"))
        let retyped = Sealed<Int>(combined: sealed.combined)
        let error = try #require(throws: SealError.self) { try context.open(retyped, as: SealedField("test.value")) }
        #expect(error.code == .malformed)
    }

    @Test("no secret appears in any encoded message, description or error", arguments: MessageKind.allCases)
    func noSecretInClear(kind: MessageKind) throws {
        let envelope = Fixtures.envelope(try Fixtures.body(kind))
        let message = try codec.encode(envelope, overflow: nil)
        let json = String(decoding: try Fixtures.json(message.text), as: UTF8.self)
        let texts = [json, message.text, envelope.description, "\(envelope.body)", String(reflecting: envelope)]
        for text in texts {
            for secret in Fixtures.secrets {
                #expect(!text.contains(secret), "a secret appears in \(kind)")
            }
        }
    }

    @Test("the worker key's description and the sealed values' never show the key or the secret")
    func redaction() throws {
        let key = Fixtures.key
        for text in [key.description, String(reflecting: key), "\(key)", Fixtures.context.description] {
            #expect(!text.contains(key.base64))
            #expect(text.contains(key.keyID))
        }
        let sealed = try context.seal(Fixtures.password, as: .password(.repository))
        #expect(sealed.description == "Sealed(\(sealed.combined.count) bytes)")
        #expect(!String(reflecting: sealed).contains(sealed.combined.base64EncodedString()))
        let location = try Fixtures.repository(.repository, accountKeyed: true)
        #expect(location.description.contains("account key of nimbusrepo, sealed"))
    }

    @Test("a worker key survives base64 and refuses anything but 32 bytes")
    func keyEncoding() throws {
        let key = WorkerKey.generate()
        let copy = try #require(WorkerKey(base64: key.base64))
        #expect(copy == key)
        #expect(copy.keyID == key.keyID)
        #expect(WorkerKey.generate() != key)
        #expect(WorkerKey(base64: Data(count: 16).base64EncodedString()) == nil)
        #expect(WorkerKey(base64: "not base64!") == nil)
        #expect(WorkerKey(bytes: [UInt8](repeating: 7, count: 32)) != nil)
    }
}
