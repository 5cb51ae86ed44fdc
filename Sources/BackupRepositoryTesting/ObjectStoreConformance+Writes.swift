import BackupRepository
import Foundation

extension ObjectStoreConformance {
    func createOnlyTwice(_ root: String) async throws {
        let key = root + "lock"
        let first = Self.contents(300, seed: 6)
        try await store.put(key, contents: first, mode: .createOnly)
        for contents in [Self.contents(200, seed: 7), first] {
            let error = try await expectError("a second create-only write") {
                try await store.put(key, contents: contents, mode: .createOnly)
            }
            try require(error.code == .alreadyExists, "a second create-only write gave \(error.code)")
            try require(error.key == key, "the alreadyExists error names '\(error.key)', not '\(key)'")
        }
        try require(try await store.get(key) == first, "a refused create-only write changed the object")
        try await store.delete(key)
        try await store.put(key, contents: Self.contents(10, seed: 8), mode: .createOnly)
        try require(try await store.get(key) == Self.contents(10, seed: 8), "create-only after delete")
    }

    func concurrentCreateOnly(_ root: String) async throws {
        let key = root + "contended"
        let writers = 8
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for writer in 0..<writers {
                group.addTask {
                    do {
                        try await store.put(
                            key,
                            contents: Self.contents(64 + writer, seed: UInt8(writer)),
                            mode: .createOnly
                        )
                        return (writer, true)
                    } catch let error as ObjectStoreError where error.code == .alreadyExists {
                        return (writer, false)
                    }
                }
            }
            var outcomes: [Int: Bool] = [:]
            for try await (writer, won) in group { outcomes[writer] = won }
            return outcomes
        }
        let winners = outcomes.filter(\.value).map(\.key)
        try require(winners.count == 1, "\(winners.count) of \(writers) concurrent create-only writes succeeded")
        let stored = try await store.get(key)
        try require(
            stored == Self.contents(64 + winners[0], seed: UInt8(winners[0])),
            "the object does not hold the winning writer's contents"
        )
    }

    func overwrite(_ root: String) async throws {
        let key = root + "object"
        try await store.put(key, contents: Self.contents(3_000, seed: 9))
        let replacement = Self.contents(17, seed: 10)
        try await store.put(key, contents: replacement, mode: .overwrite)
        try require(try await store.get(key) == replacement, "an overwrite did not replace the contents")
        try require(try await store.head(key)?.size == 17, "an overwrite did not change the size")
        try await store.put(key, contents: Data())
        try require(try await store.head(key)?.size == 0, "an overwrite with nothing left a size")
    }

    func deleteMissing(_ root: String) async throws {
        try await store.delete(root + "never-written")
        let key = root + "object"
        try await store.put(key, contents: Self.contents(10, seed: 11))
        try await store.delete(key)
        try await store.delete(key)
        let error = try await expectError("reading a deleted object") { _ = try await store.get(key) }
        try require(error.code == .notFound, "reading a deleted object gave \(error.code)")
        try require(error.key == key, "the notFound error names '\(error.key)', not '\(key)'")
        var listed: [String] = []
        for try await object in store.objects(prefix: root) { listed.append(object.key) }
        try require(listed.isEmpty, "deleted objects are still listed: \(listed)")
    }

    func timestamps(_ root: String) async throws {
        let key = root + "object"
        let before = Date()
        try await store.put(key, contents: Self.contents(100, seed: 12))
        let after = Date()
        let first = try await store.head(key)
        guard let first else { throw ConformanceFailure(store: store.location, message: "head found no object") }
        try require(
            first.modified >= before.addingTimeInterval(-clockTolerance)
                && first.modified <= after.addingTimeInterval(clockTolerance),
            "the modification time \(first.modified) is not near the write (\(before)–\(after))"
        )
        let listed = try await store.list(prefix: key, continuation: nil).objects.first
        try require(
            listed.map { abs($0.modified.timeIntervalSince(first.modified)) < 1 } == true,
            "the listing's modification time \(String(describing: listed?.modified)) differs from head's \(first.modified)"
        )
        // Stores may keep whole seconds: wait until the clock has passed the next second, then overwrite.
        let deadline = Date().addingTimeInterval(60)
        while Date() < first.modified.addingTimeInterval(1.05) {
            try require(Date() < deadline, "the clock did not pass \(first.modified) within a minute")
            try await Task.sleep(for: .milliseconds(20))
        }
        try await store.put(key, contents: Self.contents(100, seed: 13))
        let second = try await store.head(key)
        try require(
            (second?.modified ?? .distantPast) > first.modified,
            "an overwrite did not move the modification time forward (\(first.modified) → \(String(describing: second?.modified)))"
        )
    }
}
