/// Chooses loopback addresses for private endpoints: `127.64.0.1`, `127.64.0.2`, …, never one already in use.
///
/// All of `127.0.0.0/8` reaches the local machine on Linux, so each address can have its own listener on the
/// same port, and the listener tells which endpoint a request came through.
public struct PrivateAddressAllocator: Sendable {
    /// The first address's second octet; addresses stay away from `127.0.0.x`.
    public static let firstOctet = 64

    /// Creates an allocator.
    public init() {}

    /// The address with sequence number `index` (0-based): last octets skip 0 and 255.
    public func address(at index: Int) -> String {
        let perBlock = 254
        let host = index % perBlock + 1
        let block = index / perBlock
        let second = Self.firstOctet + block / 256
        let third = block % 256
        return "127.\(second).\(third).\(host)"
    }

    /// The first address not in `used`.
    public func next(excluding used: Set<String>) -> String {
        var index = 0
        while used.contains(address(at: index)) {
            index += 1
        }
        return address(at: index)
    }
}
