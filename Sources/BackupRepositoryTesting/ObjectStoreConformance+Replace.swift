import BackupRepository
import Foundation

extension ObjectStoreConformance {
    func replaceExisting(_ root: String) async throws {
        let key = root + "object"
        let missing = try await expectError("a replace-existing write of a missing object") {
            try await store.put(key, contents: Self.contents(40, seed: 20), mode: .replaceExisting)
        }
        try require(missing.code == .notFound, "a replace-existing write of a missing object gave \(missing.code)")
        try require(missing.key == key, "the notFound error names '\(missing.key)', not '\(key)'")
        try require(try await store.head(key) == nil, "a refused replace-existing write created the object")

        try await store.put(key, contents: Self.contents(500, seed: 21), mode: .createOnly)
        let replacement = Self.contents(30, seed: 22)
        try await store.put(key, contents: replacement, mode: .replaceExisting)
        try require(try await store.get(key) == replacement, "a replace-existing write did not replace the contents")
        try require(try await store.head(key)?.size == 30, "a replace-existing write did not change the size")
        // Large enough for a store that uploads big objects in parts to take that path.
        let large = Self.contents(20_000, seed: 24)
        try await store.put(key, contents: large, mode: .replaceExisting)
        try require(try await store.get(key) == large, "a large replace-existing write did not replace the contents")
        let missingLarge = try await expectError("a large replace-existing write of a missing object") {
            try await store.put(root + "other", contents: large, mode: .replaceExisting)
        }
        try require(missingLarge.code == .notFound, "a large replace-existing write gave \(missingLarge.code)")

        try await store.delete(key)
        let deleted = try await expectError("a replace-existing write of a deleted object") {
            try await store.put(key, contents: Self.contents(50, seed: 23), mode: .replaceExisting)
        }
        try require(deleted.code == .notFound, "a replace-existing write of a deleted object gave \(deleted.code)")
        try require(try await store.head(key) == nil, "a replace-existing write brought a deleted object back")
        var listed: [String] = []
        for try await object in store.objects(prefix: root) { listed.append(object.key) }
        try require(listed.isEmpty, "refused replace-existing writes left objects behind: \(listed)")
    }

    func replaceExistingRacingDelete(_ root: String) async throws {
        for round in 0..<5 {
            let key = root + "object-\(round)"
            try await store.put(key, contents: Self.contents(64, seed: UInt8(round)), mode: .createOnly)
            // Writers replace the object over and over while one delete lands somewhere among their writes.
            let outcomes = try await withThrowingTaskGroup(of: [Bool].self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        var outcomes: [Bool] = []
                        for attempt in 0..<6 {
                            do {
                                let contents = Self.contents(64 + attempt, seed: UInt8(writer &* 16 &+ attempt))
                                try await store.put(key, contents: contents, mode: .replaceExisting)
                                outcomes.append(true)
                            } catch let error as ObjectStoreError where error.code == .notFound {
                                outcomes.append(false)
                            }
                        }
                        return outcomes
                    }
                }
                group.addTask {
                    try await store.delete(key)
                    return []
                }
                var all: [[Bool]] = []
                for try await outcomes in group where !outcomes.isEmpty { all.append(outcomes) }
                return all
            }
            try require(try await store.head(key) == nil, "a replace-existing write brought back a deleted object")
            // Once a writer was refused, the object stays gone: none of its later writes may succeed.
            for writes in outcomes {
                if let refused = writes.firstIndex(of: false) {
                    try require(
                        !writes[refused...].contains(true),
                        "a replace-existing write succeeded after the object was deleted: \(writes)"
                    )
                }
            }
        }
        var listed: [String] = []
        for try await object in store.objects(prefix: root) { listed.append(object.key) }
        try require(listed.isEmpty, "replace-existing writes racing a delete left objects behind: \(listed)")
    }
}
