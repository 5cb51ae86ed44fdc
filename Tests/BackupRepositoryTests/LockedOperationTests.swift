import Foundation
import Testing

@testable import BackupRepository

/// Repository operations take their locks themselves, stop when the lock is lost or the task is
/// cancelled, and never publish a restore point after either.
@Suite struct LockedOperationTests {
    static let blockSize: Int64 = 4096

    /// A 1 MiB image (256 blocks) in the fixture's folder and a source over it that runs `hook` before
    /// every read at or after block 64.
    static func gatedImage(
        in fixture: MaintenanceFixture,
        seed: UInt64,
        hook: @escaping @Sendable (Int64) async throws -> Void
    ) throws -> (Data, GatedDiskSource) {
        let image = TestImages.random(1 << 20, seed: seed)
        let path = fixture.folder.url.appendingPathComponent("disk-\(seed).img").path
        try image.write(to: URL(fileURLWithPath: path))
        let source = GatedDiskSource(base: try FileDiskSource(path: path)) { offset in
            if offset >= 64 * blockSize { try await hook(offset) }
        }
        return (image, source)
    }

    @Test func aBackupThatLosesItsLockPublishesNoRestorePoint() async throws {
        let log = LogRecorder()
        let fixture = try await MaintenanceFixture.make(label: "nimbus-lost-lock", logger: log.logger)
        defer { fixture.remove() }
        let someoneElse = fixture.repository.locks()
        let removed = Shared(false)
        let (_, source) = try Self.gatedImage(in: fixture, seed: 31) { _ in
            // A quarter of the way in, the lock object disappears (another host judged it stale), and the
            // backup goes on reading until its background refresh has noticed.
            let first = removed.update { done in
                defer { done = true }
                return !done
            }
            if first {
                #expect(try await someoneElse.list().count == 1)
                try await someoneElse.removeAll()
            }
            try await waitUntil("the backup's refresh notices the lost lock") { log.contains("lock.lost") }
        }
        var options = BackupOptions(concurrency: 4)
        options.lockOptions.refreshInterval = .milliseconds(10)
        let error = await #expect(throws: LockError.self) {
            try await fixture.repository.backup(source: source, options: options)
        }
        #expect(error?.code == .lost)
        #expect(try await fixture.repository.listRestorePointIDs().isEmpty)
        #expect(try await fixture.repository.locks().list().isEmpty)
        let verify = try await fixture.repository.verify(.full)
        #expect(verify.isHealthy, "\(verify.repositoryProblems)")
    }

    @Test func cancellingABackupStopsItAndReleasesItsLock() async throws {
        let fixture = try await MaintenanceFixture.make(label: "nimbus-cancel")
        defer { fixture.remove() }
        let reached = Shared(false)
        let (image, source) = try Self.gatedImage(in: fixture, seed: 32) { _ in
            reached.update { $0 = true }
            // Wait for the cancellation (a Ctrl-C); Task.sleep ends as soon as the task is cancelled.
            try await Task.sleep(for: .seconds(120))
        }
        let repository = fixture.repository
        let backup = Task { try await repository.backup(source: source, options: BackupOptions(concurrency: 4)) }
        try await waitUntil("the backup reaches block 64") { reached.value }
        #expect(try await repository.locks().list().map(\.record?.purpose) == ["backup"])
        backup.cancel()
        let result = await backup.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(try await repository.listRestorePointIDs().isEmpty)
        #expect(try await repository.locks().list().isEmpty)
        #expect(try await repository.verify(.full).isHealthy)

        // The next backup of the same disk completes and restores exactly.
        let path = fixture.folder.url.appendingPathComponent("disk-32.img").path
        let id = try await repository.backup(source: try FileDiskSource(path: path)).restorePoint.id
        #expect(try await fixture.restored(id) == image)
    }

    @Test func aRestoreHoldsASharedLockSoAPruneIsRefused() async throws {
        let fixture = try await MaintenanceFixture.make(label: "nimbus-restore-lock")
        defer { fixture.remove() }
        let image = TestImages.random(512 << 10, seed: 33)
        let id = try await fixture.backup(image)
        var restored = Data()
        var pruneError: LockError?
        try await fixture.repository.restore(id) { piece in
            if restored.isEmpty {
                #expect(try await fixture.repository.locks().list().map(\.record?.purpose) == ["restore"])
                do {
                    _ = try await fixture.repository.prune(options: MaintenanceFixture.pruneOptions())
                } catch let error as LockError {
                    pruneError = error
                }
            }
            restored.append(piece)
        }
        #expect(pruneError?.code == .locked)
        #expect(pruneError?.holders.map(\.purpose) == ["restore"])
        #expect(restored == image)
        #expect(try await fixture.repository.locks().list().isEmpty)
    }

    @Test func everyOperationIsRefusedWhileAnotherHostPrunes() async throws {
        let fixture = try await MaintenanceFixture.make(label: "nimbus-exclusive")
        defer { fixture.remove() }
        let image = TestImages.random(64 << 10, seed: 34)
        let id = try await fixture.backup(image)
        var pruner = LockOptions()
        pruner.host = "prune-host"
        let prune = try await fixture.repository.locks(pruner).acquire(.exclusive, purpose: "prune")
        let repository = fixture.repository
        let path = fixture.folder.url.appendingPathComponent("again.img").path
        try image.write(to: URL(fileURLWithPath: path))
        let operations: [(String, @Sendable () async throws -> Void)] = [
            ("backup", { _ = try await repository.backup(source: try FileDiskSource(path: path)) }),
            ("restore", { _ = try await repository.restore(id, toFile: path + ".out") }),
            ("read", { _ = try await repository.read(id, range: ByteRange(offset: 0, length: 10)) }),
            ("verify", { _ = try await repository.verify(.quick) }),
            ("forget", { _ = try await repository.forget([id]) }),
            ("prune", { _ = try await repository.prune(options: MaintenanceFixture.pruneOptions()) }),
        ]
        for (name, operation) in operations {
            let error = await #expect(throws: LockError.self, "\(name)") { try await operation() }
            #expect(error?.code == .locked, "\(name)")
        }
        #expect(try await repository.listRestorePointIDs() == [id])
        try await prune.release()
        #expect(try await fixture.restored(id) == image)
        #expect(try await repository.locks().list().isEmpty)
    }

    /// Two backups where every pack of the first ends up half used once it is forgotten: a prune then
    /// repacks the packs that the second one's location hints name.
    static func repackable(_ fixture: MaintenanceFixture) async throws -> (RestorePointID, Data) {
        let first = TestImages.random(2 << 20, seed: 35)
        var second = first
        for block in stride(from: 1, to: first.count / 4096, by: 2) {
            second.replaceSubrange(
                block * 4096..<(block + 1) * 4096,
                with: TestImages.random(4096, seed: UInt64(block) + 1000)
            )
        }
        let a = try await fixture.backup(first)
        let b = try await fixture.backup(second)
        _ = try await fixture.repository.forget([a])
        return (b, second)
    }

    @Test(arguments: [false, true])
    func aRestoreRacingAPruneIsExactOrRefused(waiting: Bool) async throws {
        let fixture = try await MaintenanceFixture.make(label: "nimbus-race")
        defer { fixture.remove() }
        let (id, expected) = try await Self.repackable(fixture)
        var pruneOptions = MaintenanceFixture.pruneOptions(ratio: 0.75)
        var lockOptions = LockOptions()
        lockOptions.retryInterval = .milliseconds(10)
        if waiting {
            pruneOptions.lockWait = .seconds(120)
            lockOptions.waitTimeout = .seconds(120)
        }
        let (pruneOptionsUsed, lockOptionsUsed) = (pruneOptions, lockOptions)
        // The prune runs in a second repository object, as another process would.
        let pruner = try await Repository.open(store: fixture.store, password: MaintenanceFixture.password)
        let repository = fixture.repository
        let path = fixture.folder.url.appendingPathComponent("raced.img").path
        async let restore = repository.restore(id, toFile: path, lockOptions: lockOptionsUsed)
        async let prune = pruner.prune(options: pruneOptionsUsed, lockOptions: lockOptionsUsed)
        let restoreResult: Result<RestoreStatistics, any Error>
        do { restoreResult = .success(try await restore) } catch { restoreResult = .failure(error) }
        let pruneResult: Result<PruneReport, any Error>
        do { pruneResult = .success(try await prune) } catch { pruneResult = .failure(error) }

        switch restoreResult {
        case .success:
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == expected)
        case .failure(let error):
            #expect(!waiting, "a waiting restore must finish: \(error)")
            #expect((error as? LockError)?.code == .locked, "\(error)")
        }
        if case .failure(let error) = pruneResult {
            #expect(!waiting, "a waiting prune must finish: \(error)")
            #expect((error as? LockError)?.code == .locked, "\(error)")
        }
        // Whatever happened, the repository is intact and restores exactly.
        #expect(try await fixture.restored(id) == expected)
        #expect(try await repository.verify(.full).isHealthy)
        #expect(try await repository.locks().list().isEmpty)
    }

    @Test func aMissingHintedPackIsLookedUpInAFreshIndexNotAStaleCachedOne() async throws {
        let fixture = try await MaintenanceFixture.make(label: "nimbus-stale-index")
        defer { fixture.remove() }
        let (id, expected) = try await Self.repackable(fixture)
        let repository = fixture.repository
        // This repository object caches the index as it is before the prune.
        let anyBlock = try #require(try await repository.loadIndex().keys.first)
        _ = try await repository.index.lookup(anyBlock) { try await repository.loadIndex() }

        // Another process repacks the packs the restore point's hints name.
        let pruner = try await Repository.open(store: fixture.store, password: MaintenanceFixture.password)
        let report = try await pruner.prune(options: MaintenanceFixture.pruneOptions(ratio: 0.75))
        #expect(report.packsRepacked > 0)

        // Restore without the fresh start the lock gives, so the cached index is stale when hints miss.
        var restored = Data()
        _ = try await repository.restoreUnderLock(id, range: nil, concurrency: 16) { restored.append($0) }
        #expect(restored == expected)
    }
}
