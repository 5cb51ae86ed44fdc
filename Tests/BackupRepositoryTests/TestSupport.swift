import Foundation

@testable import BackupRepository

/// A temporary folder removed when the value is released.
final class TemporaryFolder: Sendable {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/nimbus-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }
}

/// A deterministic random generator (xorshift) so generated images are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed
    }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

enum ImageKind: String, CaseIterable, Sendable {
    case random, zero, text, mixed
}

enum Images {
    static func make(_ kind: ImageKind, size: Int, seed: UInt64 = 1) -> Data {
        var generator = SeededGenerator(seed: seed)
        switch kind {
        case .zero:
            return Data(count: size)
        case .random:
            return randomBytes(size, &generator)
        case .text:
            return text(size, &generator)
        case .mixed:
            var data = Data()
            data.reserveCapacity(size)
            while data.count < size {
                let extent = min(size - data.count, Int.random(in: 16_384...300_000, using: &generator))
                switch generator.next() % 3 {
                case 0: data.append(Data(count: extent))
                case 1: data.append(randomBytes(extent, &generator))
                default: data.append(text(extent, &generator))
                }
            }
            return data
        }
    }

    static func randomBytes(_ count: Int, _ generator: inout SeededGenerator) -> Data {
        var bytes = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            var word = generator.next()
            for _ in 0..<8 where index < count {
                bytes[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        return Data(bytes)
    }

    static func text(_ count: Int, _ generator: inout SeededGenerator) -> Data {
        let words = ["nimbus", "backup", "snapshot", "disk", "azure", "block", "restore", "the", "of", "and"]
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 16)
        while bytes.count < count {
            bytes.append(contentsOf: words[Int(generator.next() % UInt64(words.count))].utf8)
            bytes.append(generator.next() % 9 == 0 ? 10 : 32)
        }
        return Data(bytes.prefix(count))
    }
}

enum Fixtures {
    static let password = "correct horse battery staple"

    static func options(blockSize: Int = 64 * 1024, encrypted: Bool = true) -> Repository.CreateOptions {
        var options = Repository.CreateOptions()
        options.blockSize = blockSize
        options.scrypt = .weakForTesting
        options.packTargetSize = 1 << 20
        options.treeFanout = 16
        options.encrypted = encrypted
        return options
    }

    static func repository(
        in folder: TemporaryFolder,
        blockSize: Int = 64 * 1024,
        encrypted: Bool = true
    ) async throws -> Repository {
        let store = try LocalFolderStore(root: folder.file("repo"))
        return try await Repository.create(
            store: store,
            password: encrypted ? password : nil,
            options: options(blockSize: blockSize, encrypted: encrypted)
        )
    }

    static func write(_ data: Data, to path: String) throws {
        try data.write(to: URL(fileURLWithPath: path))
    }

    static func restoreBytes(_ repository: Repository, _ id: RestorePointID, folder: TemporaryFolder) async throws
        -> Data
    {
        let path = folder.file("restored-\(id.hex)")
        try await repository.restore(id, toFile: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
