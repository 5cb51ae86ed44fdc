import FileRestore
import Foundation
import FuzzSupport

/// libFuzzer entry point: parses the input as a disk (partition tables, then probing and opening each partition's file system).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPartitions(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let disk = InMemoryByteSource(FuzzRunner.bytes(data, size))
    FuzzRunner.runBlocking {
        guard let partitions = try? await PartitionTable.read(disk) else { return }
        for partition in partitions {
            guard let source = try? partition.source(on: disk) else { continue }
            _ = await FileSystemProbe.detect(source)
            _ = try? await FileSystemProbe.open(source).root()
        }
    }
    return 0
}

/// Runs libFuzzer (built with `-DFUZZING`) or replays the inputs named on the command line.
@main enum FuzzPartitionsMain {
    static func main() throws { try FuzzRunner.main(fuzzPartitions) }
}
