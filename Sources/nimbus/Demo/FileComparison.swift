#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-for-byte comparison of two files, read in large chunks.
enum FileComparison {
    /// Whether the two files have the same size and the same bytes.
    static func identical(_ first: String, _ second: String) async throws -> Bool {
        let a = try await RawFile.openForReading(first)
        let b = try await RawFile.openForReading(second)
        let size = try await a.size()
        guard try await b.size() == size else { return false }
        let chunk = 4 << 20
        let left = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 4096)
        let right = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 4096)
        defer {
            left.deallocate()
            right.deallocate()
        }
        var offset: Int64 = 0
        while offset < size {
            let count = try await a.read(into: left, at: offset)
            guard count > 0, try await b.read(into: right, at: offset) == count else { return false }
            guard let leftBase = left.baseAddress, let rightBase = right.baseAddress,
                memcmp(leftBase, rightBase, count) == 0
            else { return false }
            offset += Int64(count)
        }
        return true
    }
}
