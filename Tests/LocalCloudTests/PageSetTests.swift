import AzureKit
import Testing

@testable import LocalCloud

@Suite struct PageSetTests {
    @Test func insertMergesOverlappingAndAdjacentRanges() {
        var set = PageSet()
        set.insert(0..<512)
        set.insert(1024..<1536)
        set.insert(512..<1024)
        #expect(set.ranges == [0..<1536])
        set.insert(4096..<8192)
        #expect(set.ranges == [0..<1536, 4096..<8192])
    }

    @Test func removeSplitsRanges() {
        var set = PageSet([0..<4096])
        set.remove(1024..<2048)
        #expect(set.ranges == [0..<1024, 2048..<4096])
        set.remove(0..<512)
        #expect(set.ranges == [512..<1024, 2048..<4096])
        #expect(set.count == 2560)
    }

    @Test func intersectionAndGaps() {
        let set = PageSet([0..<512, 1024..<2048])
        #expect(set.intersection(256..<1536) == [256..<512, 1024..<1536])
        #expect(set.gaps(in: 0..<4096) == [512..<1024, 2048..<4096])
    }
}
