import FileRestore
import Foundation
import FuzzSupport

/// libFuzzer entry point: parses the input as a disk (partition tables, then file-system probing).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPartitions(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let disk = InMemoryByteSource(Array(UnsafeBufferPointer(start: data, count: size)))
    FuzzRunner.runBlocking {
        guard let partitions = try? await PartitionTable.read(disk) else { return }
        for partition in partitions {
            guard let source = try? partition.source(on: disk) else { continue }
            _ = await FileSystemProbe.detect(source)
        }
    }
    return 0
}

#if !FUZZING
/// Without libFuzzer: runs the entry point once for each file named on the command line (replaying a crash).
@main enum ReplayPartitions {
    static func main() throws { try FuzzRunner.replay(fuzzPartitions) }
}
#endif
