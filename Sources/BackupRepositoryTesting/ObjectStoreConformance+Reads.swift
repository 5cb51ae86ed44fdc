import BackupRepository
import Foundation

extension ObjectStoreConformance {
    func rangedReads(_ root: String) async throws {
        let key = root + "object"
        let bytes = Self.contents(10_000, seed: 3)
        try await store.put(key, contents: bytes)
        let size = Int64(bytes.count)
        let cases: [(String, Range<Int64>, Data)] = [
            ("the start", 0..<100, bytes.prefix(100)),
            ("the middle", 4_000..<4_123, bytes[4_000..<4_123]),
            ("the whole object", 0..<size, bytes),
            ("a range clamped at the end", size - 10..<size + 1_000, bytes.suffix(10)),
            ("the last byte", size - 1..<size, bytes.suffix(1)),
            ("an empty range", 500..<500, Data()),
            ("a range at the end", size..<size + 10, Data()),
            ("a range past the end", size + 100..<size + 200, Data()),
        ]
        for (what, range, expected) in cases {
            let read = try await store.get(key, range: range)
            try require(
                read == Data(expected),
                "\(what) (\(range)) read \(read.count) bytes, expected \(expected.count)"
            )
        }
        try require(try await store.get(key) == bytes, "the whole object read back differently")
        try await store.put(root + "empty", contents: Data())
        try require(try await store.get(root + "empty").isEmpty, "an empty object read back non-empty")
        try require(try await store.get(root + "empty", range: 0..<10).isEmpty, "a range of an empty object")
        let missing = try await expectError("a ranged read of a missing object") {
            _ = try await store.get(root + "missing", range: 0..<10)
        }
        try require(missing.code == .notFound, "a ranged read of a missing object gave \(missing.code)")
    }

    func head(_ root: String) async throws {
        let key = root + "present"
        try await store.put(key, contents: Self.contents(1_234, seed: 4))
        let info = try await store.head(key)
        try require(
            info?.key == key && info?.size == 1_234,
            "head of a 1,234-byte object gave \(String(describing: info))"
        )
        try require(try await store.head(root + "missing") == nil, "head of a missing object was not nil")
        try require(try await store.head(root + "pres") == nil, "head of a key's prefix was not nil")
        try await store.delete(key)
        try require(try await store.head(key) == nil, "head of a deleted object was not nil")
    }

    func sizeCap(_ root: String) async throws {
        let key = root + "object"
        let bytes = Self.contents(5_000, seed: 5)
        try await store.put(key, contents: bytes)
        try require(try await store.get(key, maxBytes: 5_000) == bytes, "a read at exactly the cap failed")
        try require(
            try await store.get(key, range: 100..<200, maxBytes: 100) == bytes[100..<200],
            "a range within the cap failed"
        )
        try require(
            try await store.get(key, range: 4_990..<6_000, maxBytes: 10) == bytes.suffix(10),
            "a range clamped to within the cap failed"
        )
        let whole = try await expectError("reading 5,000 bytes with a cap of 4,999") {
            _ = try await store.get(key, maxBytes: 4_999)
        }
        try require(whole.code == .tooLarge, "an oversized read gave \(whole.code), expected tooLarge")
        try require(whole.description.contains(key), "the oversized-read error does not name the object: \(whole)")
        let ranged = try await expectError("reading a 1,000-byte range with a cap of 999") {
            _ = try await store.get(key, range: 1_000..<2_000, maxBytes: 999)
        }
        try require(ranged.code == .tooLarge, "an oversized range gave \(ranged.code), expected tooLarge")
        let missing = try await expectError("a capped read of a missing object") {
            _ = try await store.get(root + "missing", maxBytes: 10)
        }
        try require(missing.code == .notFound, "a capped read of a missing object gave \(missing.code)")
    }
}
