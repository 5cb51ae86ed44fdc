import Synchronization

/// The data streams of the files read most recently, so reading a large file in pieces does not reload
/// its records and runlists for every piece. Holds at most ``capacity`` streams.
final class NTFSStreamCache: Sendable {
    static let capacity = 32
    private let streams = Mutex<[(number: UInt64, stream: NTFSStream)]>([])

    func stream(_ number: UInt64) -> NTFSStream? {
        streams.withLock { cached in cached.first { $0.number == number }?.stream }
    }

    func store(_ stream: NTFSStream, for number: UInt64) {
        streams.withLock { cached in
            cached.removeAll { $0.number == number }
            if cached.count >= Self.capacity { cached.removeFirst() }
            cached.append((number: number, stream: stream))
        }
    }
}
