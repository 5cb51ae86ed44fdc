import Foundation

/// The append-only log of a volume's top layer: one fixed-size record per write, clear or resize, replayed on
/// start. Records are 17 bytes: a kind byte and two little-endian 64-bit integers.
enum PageJournal {
    enum Record {
        case write(Range<Int64>)
        case clear(Range<Int64>)
        case resize(Int64)
    }

    static func append(_ record: Record, to url: URL) throws {
        var bytes = [UInt8]()
        bytes.reserveCapacity(17)
        let (kind, first, second): (UInt8, Int64, Int64)
        switch record {
        case .write(let range): (kind, first, second) = (1, range.lowerBound, range.upperBound)
        case .clear(let range): (kind, first, second) = (2, range.lowerBound, range.upperBound)
        case .resize(let size): (kind, first, second) = (3, size, 0)
        }
        bytes.append(kind)
        withUnsafeBytes(of: first.littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: second.littleEndian) { bytes.append(contentsOf: $0) }
        let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw LocalCloudError(.io, "Could not open the page journal \(url.path) (errno \(errno)).")
        }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw LocalCloudError(.io, "Could not append to the page journal \(url.path) (errno \(errno)).")
        }
    }

    static func replay(_ url: URL, into layer: inout PageStore.Layer) throws {
        guard let data = try? Data(contentsOf: url) else { return }
        var offset = 0
        while offset + 17 <= data.count {
            let kind = data[data.startIndex + offset]
            let first = Int64(
                littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 1, as: Int64.self) }
            )
            let second = Int64(
                littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 9, as: Int64.self) }
            )
            switch kind {
            case 1:
                layer.written.insert(first..<second)
                layer.cleared.remove(first..<second)
            case 2:
                layer.written.remove(first..<second)
                layer.cleared.insert(first..<second)
            case 3:
                layer.size = first
            default:
                break
            }
            offset += 17
        }
    }
}
