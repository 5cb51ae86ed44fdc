import BackupRepository
import BackupRepositoryTesting
import Foundation
import Synchronization
import Testing

/// `FaultyStore` over a real `LocalFolderStore`: each effect hits exactly the call its rule names.
@Suite struct FaultyStoreTests {
    @Test func failsOnlyTheNthMatchingCall() async throws {
        let folder = try TemporaryFolder()
        let base = try LocalFolderStore(root: folder.path)
        let store = FaultyStore(
            base,
            rules: [FaultRule(.put, keyPrefix: "packs/", occurrence: 2, effect: .fail(.noSpace))]
        )
        try await store.put("index/1", contents: Data([1]))
        try await store.put("packs/a", contents: Data([2]))
        let error = await #expect(throws: ObjectStoreError.self) { try await store.put("packs/b", contents: Data([3])) }
        #expect(error?.code == .noSpace)
        #expect(error?.key == "packs/b")
        try await store.put("packs/c", contents: Data([4]))
        #expect(try await base.head("packs/a") != nil)
        #expect(try await base.head("packs/b") == nil, "the failed put never reached the store")
        #expect(try await base.head("packs/c") != nil)
        #expect(store.calls(.put) == 4)
    }

    @Test func failAfterAppliesTheCallThenThrows() async throws {
        let folder = try TemporaryFolder()
        let base = try LocalFolderStore(root: folder.path)
        let store = FaultyStore(base, rules: [FaultRule(.delete, effect: .failAfter(.io))])
        try await base.put("locks/x", contents: Data([1]))
        let error = await #expect(throws: ObjectStoreError.self) { try await store.delete("locks/x") }
        #expect(error?.code == .io)
        #expect(try await base.head("locks/x") == nil, "the delete took effect although its caller saw a failure")
    }

    @Test func truncateStoresOnlyAPrefixAndFails() async throws {
        let folder = try TemporaryFolder()
        let base = try LocalFolderStore(root: folder.path)
        let store = FaultyStore(base, rules: [FaultRule(.put, keyPrefix: "packs/", effect: .truncate(keeping: 5))])
        let contents = Data((0..<100).map { UInt8($0) })
        let error = await #expect(throws: ObjectStoreError.self) { try await store.put("packs/p", contents: contents) }
        #expect(error?.code == .io)
        #expect(try await base.get("packs/p") == contents.prefix(5))
        try await store.put("packs/p", contents: contents)
        #expect(try await base.get("packs/p") == contents, "only the first matching put is torn")
    }

    @Test func aDelayedCallStillHappensAndCanBeCancelled() async throws {
        let folder = try TemporaryFolder()
        let base = try LocalFolderStore(root: folder.path)
        let store = FaultyStore(
            base,
            rules: [
                FaultRule(.put, keyPrefix: "slow/", effect: .delay(.seconds(3600))),
                FaultRule(.get, effect: .delay(.milliseconds(1))),
            ]
        )
        try await base.put("fast/x", contents: Data([7]))
        #expect(try await store.get("fast/x") == Data([7]), "a delayed read returns the object")
        let writer = Task { try await store.put("slow/x", contents: Data([1])) }
        writer.cancel()
        await #expect(throws: CancellationError.self) { try await writer.value }
        #expect(try await base.head("slow/x") == nil, "the cancelled, delayed put never reached the store")
    }

    @Test func stopsAfterTheNamedCallHasTakenEffect() async throws {
        let stops = Recorded<[String]>([])
        let folder = try TemporaryFolder()
        let base = try LocalFolderStore(root: folder.path)
        let store = FaultyStore(base, rules: [try #require(FaultRule(stopAfter: "delete:packs/:2"))]) { name in
            stops.update { $0.append(name) }
        }
        for key in ["packs/a", "packs/b", "index/c"] { try await base.put(key, contents: Data([1])) }
        try await store.delete("index/c")
        try await store.delete("packs/a")
        #expect(stops.value.isEmpty)
        try await store.delete("packs/b")
        #expect(stops.value == ["delete:packs/:2"])
        #expect(try await base.head("packs/b") == nil, "the stop comes after the delete")
    }

    @Test func stopBeforeCallsTheHandlerFirst() async throws {
        let folder = try TemporaryFolder()
        let base = try LocalFolderStore(root: folder.path)
        let sawObject = Recorded<Bool?>(nil)
        let store = FaultyStore(base, rules: [FaultRule(.delete, effect: .stopBefore("before delete"))]) { _ in
            sawObject.update { $0 = FileManager.default.fileExists(atPath: folder.file("locks/x")) }
        }
        try await base.put("locks/x", contents: Data([1]))
        try await store.delete("locks/x")
        #expect(sawObject.value == true, "the handler ran while the object still existed")
        #expect(try await base.head("locks/x") == nil)
    }

    @Test func stopRulesAreParsed() throws {
        let rule = try #require(FaultRule(stopAfter: "put:index/:3"))
        #expect(rule.operation == .put && rule.keyPrefix == "index/" && rule.occurrence == 3)
        #expect(FaultRule(stopAfter: "delete::1")?.keyPrefix == "")
        for bad in ["", "put", "put:index/", "rename:x:1", "put:x:0", "put:x:y"] {
            #expect(FaultRule(stopAfter: bad) == nil, "'\(bad)' is refused")
        }
    }

    @Test func theRepositoryWorksThroughTheDecoratorAndSeesItsFaults() async throws {
        let fixture = try await MaintenanceFixture.make(label: "nimbus-faulty")
        defer { fixture.remove() }
        let first = try await fixture.backup(TestImages.random(64 << 10, seed: 5))
        let store = FaultyStore(
            fixture.store,
            rules: [FaultRule(.get, keyPrefix: "restorepoints/", effect: .fail(.io))]
        )
        let repository = try await Repository.open(store: store, password: MaintenanceFixture.password)
        let error = await #expect(throws: ObjectStoreError.self) { _ = try await repository.listRestorePoints() }
        #expect(error?.key == first.objectKey)
        #expect(try await repository.listRestorePoints().map(\.id) == [first])
    }
}

/// A value that closures of other tasks record into.
final class Recorded<Value: Sendable>: Sendable {
    private let state: Mutex<Value>

    init(_ value: Value) { state = Mutex(value) }

    var value: Value { state.withLock { $0 } }

    func update(_ change: (inout Value) -> Void) { state.withLock { change(&$0) } }
}
