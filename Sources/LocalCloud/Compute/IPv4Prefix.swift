/// An IPv4 prefix in CIDR form (`10.20.1.0/24`), for handing out the private addresses Azure would.
struct IPv4Prefix: Sendable, Equatable {
    /// The network address as a number.
    let base: UInt32
    /// The prefix length.
    let length: Int

    /// Parses `a.b.c.d/n`; `nil` for anything else.
    init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let length = Int(parts[1]), (0...32).contains(length) else { return nil }
        let octets = parts[0].split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 < 256 }) else { return nil }
        let address = octets.reduce(UInt32(0)) { $0 << 8 | $1 }
        let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - length)
        self.base = address & mask
        self.length = length
    }

    /// How many addresses the prefix holds.
    var size: UInt64 { UInt64(1) << (32 - length) }

    /// The dotted form of the address `offset` past the network address.
    func address(at offset: UInt32) -> String {
        let value = base &+ offset
        return [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xff) }.joined(separator: ".")
    }

    /// The first address Azure would hand out that is not in `used`: Azure keeps the first four and the last.
    func firstFree(excluding used: Set<String>) -> String? {
        guard size > 5 else { return nil }
        var offset: UInt32 = 4
        while UInt64(offset) < size - 1 {
            let candidate = address(at: offset)
            if !used.contains(candidate) { return candidate }
            offset += 1
        }
        return nil
    }
}
