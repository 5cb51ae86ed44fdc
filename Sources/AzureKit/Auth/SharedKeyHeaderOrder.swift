/// The order in which Shared Key lists `x-ms-` headers: not byte order but the culture-aware
/// (invariant, Windows) string order the storage service sorts with.
///
/// Three things differ from byte order: `-` and `'` are ignored at first and only break ties (a
/// later one sorts first; at the same place `'` before `-`); punctuation sorts before digits
/// (`_` before `0`); and `+` sorts after the other punctuation. So `x-ms-meta-i_` comes before
/// `x-ms-meta-i0`, and `x-ms-meta-ab` before `x-ms-meta-a-c`. Microsoft's storage SDKs imitate the
/// same order (Azure/azure-sdk-for-js `storage-common` `SharedKeyComparator`; azure-sdk-for-python
/// issue 10277, azure-sdk-for-net issue 41328 show the service rejecting byte order).
package enum SharedKeyHeaderOrder {
    /// Characters of header names in increasing primary order; `-`, `'` and anything not listed
    /// (not valid in a header name) have no primary weight.
    static let primaryOrder = Array("!#$%&*.^_`|~+0123456789abcdefghijklmnopqrstuvwxyz")

    /// Primary weight of an ASCII character (0 when it is ignored at the first level).
    static let primaryWeights: [UInt16] = {
        var weights = [UInt16](repeating: 0, count: 128)
        for (rank, character) in primaryOrder.enumerated() {
            guard let ascii = character.asciiValue else { continue }
            weights[Int(ascii)] = UInt16(rank + 2)
            if character.isLetter, let upper = character.uppercased().first?.asciiValue {
                weights[Int(upper)] = UInt16(rank + 2)
            }
        }
        return weights
    }()

    /// Tie-break weight of the characters ignored at the first level (`'` before `-`).
    static func tieWeight(_ byte: UInt8) -> UInt16 {
        switch byte {
        case UInt8(ascii: "'"): 2
        case UInt8(ascii: "-"): 3
        default: 0
        }
    }

    static func primaryWeight(_ byte: UInt8) -> UInt16 {
        // Bytes outside ASCII cannot occur in header names; order them after everything else.
        byte < 128 ? primaryWeights[Int(byte)] : 0x1000 + UInt16(byte)
    }

    /// Whether header name `left` sorts before `right` (both already lowercased).
    package static func areInIncreasingOrder(_ left: String, _ right: String) -> Bool {
        compare(Array(left.utf8), Array(right.utf8)) < 0
    }

    /// Negative, zero or positive as `left` sorts before, with, or after `right`.
    static func compare(_ left: [UInt8], _ right: [UInt8]) -> Int {
        let primary = compareSignificant(left, right, weight: primaryWeight)
        if primary != 0 { return primary }
        return compareIgnorables(left, right)
    }

    /// Compares the characters that have a weight at this level, skipping the others; a string that
    /// ends first sorts first.
    static func compareSignificant(_ left: [UInt8], _ right: [UInt8], weight: (UInt8) -> UInt16) -> Int {
        let a = left.map(weight).filter { $0 != 0 }
        let b = right.map(weight).filter { $0 != 0 }
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Breaks a tie between names equal but for `-` and `'`: walking both names together, the
    /// first place where only one of them has such a character decides (the other, whose one
    /// comes later or never, sorts first); at the same place `'` sorts before `-`.
    static func compareIgnorables(_ left: [UInt8], _ right: [UInt8]) -> Int {
        var i = 0
        var j = 0
        while true {
            let x = i < left.count ? tieWeight(left[i]) : 1
            let y = j < right.count ? tieWeight(right[j]) : 1
            if x == 1 && y == 1 { return 0 }
            if x == y {
                i += 1
                j += 1
            } else if x == 0 || y == 0 {
                // One side reached an ordinary character while the other sits on `-` or `'`
                // (or its end): the side with the ordinary character runs ahead and sorts first.
                return x == 0 ? -1 : 1
            } else {
                return x < y ? -1 : 1
            }
        }
    }
}
