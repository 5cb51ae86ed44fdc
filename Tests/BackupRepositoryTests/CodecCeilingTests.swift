import Foundation
import Testing

@testable import BackupRepository

/// The benchmark's ceiling runs the engine's own codec, so its stored size must match the engine's exactly.
@Suite struct CodecCeilingTests {
    @Test func parallelRunOverAFileMatchesTheSequentialMeasure() throws {
        let folder = try TemporaryFolder()
        let blockSize = 64 << 10
        // Mixed content plus a whole zero block and a short last block.
        var image = Images.make(.mixed, size: 3 << 20, seed: 5)
        image.append(Data(count: blockSize))
        image.append(Images.make(.text, size: 10_000, seed: 6))
        try image.write(to: URL(fileURLWithPath: folder.file("disk.img")))

        let sequential = try CodecCeiling.measure(image, blockSize: blockSize, compressionLevel: 4)
        let parallel = try CodecCeiling.run(
            path: folder.file("disk.img"),
            blockSize: blockSize,
            compressionLevel: 4,
            threads: 3
        )
        let expectedBlocks = (image.count + blockSize - 1) / blockSize
        #expect(parallel.blocks == expectedBlocks)
        #expect(sequential.blocks == expectedBlocks)
        #expect(parallel.zeroBlocks >= 1)
        #expect(parallel.zeroBlocks == sequential.zeroBlocks)
        #expect(parallel.compressedBlocks == sequential.compressedBlocks)
        #expect(parallel.storedBytes == sequential.storedBytes)
        #expect(parallel.compressedBlocks > 0)
        #expect(parallel.storedBytes < image.count)
    }

    @Test func aMissingImageIsAClearError() throws {
        let error = #expect(throws: RepositoryError.self) {
            try CodecCeiling.run(path: "/nonexistent/disk.img", blockSize: 4096, compressionLevel: 1, threads: 1)
        }
        #expect(error?.code == .fileNotFound)
        #expect(error?.description.contains("/nonexistent/disk.img") == true)
    }
}
