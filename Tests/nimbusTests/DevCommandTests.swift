import Foundation
import Testing

/// The hidden `nimbus dev` tools that the demo, the tests and the benchmark rely on.
@Suite struct DevCommandTests {
    let nimbus = NimbusProcess()

    @Test func generatedImagesAreDeterministicAndMixed() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = try await nimbus.run([
            "dev", "gen-image", folder.path("a.img"), "--size", "5MiB", "--seed", "9", "--json",
        ])
        let second = try await nimbus.run(["dev", "gen-image", folder.path("b.img"), "--size", "5MiB", "--seed", "9"])
        let other = try await nimbus.run(["dev", "gen-image", folder.path("c.img"), "--size", "5MiB", "--seed", "10"])
        #expect(first.status == 0)
        #expect(second.status == 0)
        #expect(other.status == 0)

        let summary = try first.jsonObject()
        #expect(summary["size"] as? Int == 5 << 20)
        let zero = try #require(summary["zeroBytes"] as? Int)
        let random = try #require(summary["randomBytes"] as? Int)
        let text = try #require(summary["textBytes"] as? Int)
        #expect(zero + random + text == 5 << 20)

        let a = try Data(contentsOf: folder.url.appendingPathComponent("a.img"))
        let b = try Data(contentsOf: folder.url.appendingPathComponent("b.img"))
        let c = try Data(contentsOf: folder.url.appendingPathComponent("c.img"))
        #expect(a.count == 5 << 20)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func oddSizesAreWrittenExactly() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try await nimbus.run(["dev", "gen-image", folder.path("odd.img"), "--size", "1000001"])
        #expect(result.status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.path("odd.img"))
        #expect(attributes[.size] as? Int == 1_000_001)
    }

    @Test func mutationChangesOnlyTheRecordedRanges() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let image = folder.path("disk.img")
        #expect(try await nimbus.run(["dev", "gen-image", image, "--size", "8MiB"]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: image))

        let result = try await nimbus.run([
            "dev", "mutate", image, "--percent", "2", "--seed", "3", "--record", folder.path("ranges.json"), "--json",
        ])
        #expect(result.status == 0)
        let summary = try result.jsonObject()
        let written = try #require(summary["bytesWritten"] as? Int)
        #expect(written >= (8 << 20) / 50)

        let pairs = try JSONDecoder().decode(
            [[Int]].self,
            from: Data(contentsOf: URL(fileURLWithPath: folder.path("ranges.json")))
        )
        #expect(!pairs.isEmpty)
        var changed = [Bool](repeating: false, count: before.count)
        var previousEnd = -1
        for pair in pairs {
            #expect(pair.count == 2)
            #expect(pair[0] % 4096 == 0)
            #expect(pair[0] > previousEnd)  // sorted, merged
            previousEnd = pair[0] + pair[1]
            for index in pair[0]..<(pair[0] + pair[1]) { changed[index] = true }
        }
        let after = try Data(contentsOf: URL(fileURLWithPath: image))
        #expect(after.count == before.count)
        var differingOutside = 0
        var differingInside = 0
        for index in 0..<before.count where before[index] != after[index] {
            if changed[index] { differingInside += 1 } else { differingOutside += 1 }
        }
        #expect(differingOutside == 0)
        #expect(differingInside > written / 2)
    }

    @Test func badArgumentsAreUsageErrors() async throws {
        let result = try await nimbus.run(["dev", "gen-image", "/tmp/never.img", "--size", "lots"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("is not a size"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.img"))
    }

    @Test func ceilingRunsTheEngineCodecWithTheRepositoryDefaults() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let image = folder.path("disk.img")
        #expect(try await nimbus.run(["dev", "gen-image", image, "--size", "6MiB", "--seed", "3"]).status == 0)

        let result = try await nimbus.run(["dev", "ceiling", image, "--threads", "2", "--json"])
        #expect(result.status == 0)
        let report = try result.jsonObject()
        #expect(report["blockSize"] as? Int == 256 * 1024)
        #expect(report["compressionLevel"] as? Int == 4)
        #expect(report["blocks"] as? Int == 24)
        let zero = try #require(report["zeroBlocks"] as? Int)
        let compressed = try #require(report["compressedBlocks"] as? Int)
        let sealed = try #require(report["sealedBytes"] as? Int)
        #expect(zero + compressed <= 24)
        // Every non-zero block is sealed: at least 28 bytes each, and the text compresses.
        #expect(sealed >= (24 - zero) * 28)
        #expect(compressed > 0)
        #expect(sealed < 6 << 20)

        let missing = try await nimbus.run(["dev", "ceiling", folder.path("missing.img")])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("missing.img"))
    }
}
