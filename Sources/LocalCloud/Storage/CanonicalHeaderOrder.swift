/// The order of `x-ms-` header names in a Shared Key string to sign, as the storage service sorts them.
///
/// Azure documents the order as "lexicographic", but the service sorts with the invariant culture's word sort, and
/// Microsoft's SDKs had to follow it: a name like `x-ms-meta-i_` must come before `x-ms-meta-i0`, and
/// `x-ms-meta-ab` before `x-ms-meta-a-c`. Each name gets a two-part sort key:
///
/// 1. Its significant characters, by weight: punctuation (`! # $ % & * . ^ _ \` | ~`), then `+`, then digits,
///    then letters (case-insensitively). Hyphens and apostrophes are left out here.
/// 2. Where its hyphens and apostrophes stand, deciding only between names whose first parts are equal: at the
///    first difference, the name whose next one stands later (or that has none left) comes first; at the same
///    place an apostrophe comes before a hyphen.
enum CanonicalHeaderOrder {
    /// Whether header name `left` sorts before `right`.
    static func precedes(_ left: String, _ right: String) -> Bool {
        SortKey(left) < SortKey(right)
    }

    /// Sorts header names.
    static func sorted(_ names: some Sequence<String>) -> [String] {
        names.map { (SortKey($0), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The significant characters of a header name, ranked from first to last (letters stand for both cases).
    private static let rankedGroups = ["!#$%&*.^_`|~", "+", "0123456789", "abcdefghijklmnopqrstuvwxyz"]

    /// Weight of each ASCII byte that counts in the first part of the key (1 and up), 0 for the others.
    private static let weights: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 128)
        var next: UInt16 = 1
        for group in rankedGroups {
            for scalar in group.unicodeScalars {
                table[Int(scalar.value)] = next
                if let upper = Character(scalar).uppercased().unicodeScalars.first, upper != scalar {
                    table[Int(upper.value)] = next
                }
                next += 1
            }
        }
        return table
    }()

    private struct SortKey: Comparable {
        /// The weights of the significant characters, in order.
        var significant: [UInt16] = []
        /// For each hyphen or apostrophe: its offset in the name and its rank (apostrophe 0, hyphen 1).
        var marks: [(offset: Int, rank: UInt8)] = []

        init(_ name: String) {
            for (offset, byte) in name.utf8.enumerated() {
                switch byte {
                case UInt8(ascii: "'"): marks.append((offset, 0))
                case UInt8(ascii: "-"): marks.append((offset, 1))
                case 0..<128 where CanonicalHeaderOrder.weights[Int(byte)] != 0:
                    significant.append(CanonicalHeaderOrder.weights[Int(byte)])
                default:
                    // Not a header-name character; order it after everything that is.
                    significant.append(0x100 + UInt16(byte))
                }
            }
        }

        static func < (left: SortKey, right: SortKey) -> Bool {
            if left.significant != right.significant {
                return left.significant.lexicographicallyPrecedes(right.significant)
            }
            for (a, b) in zip(left.marks, right.marks) {
                if a.offset != b.offset { return a.offset > b.offset }
                if a.rank != b.rank { return a.rank < b.rank }
            }
            return left.marks.count < right.marks.count
        }

        static func == (left: SortKey, right: SortKey) -> Bool {
            left.significant == right.significant && left.marks.elementsEqual(right.marks) { $0 == $1 }
        }
    }
}
