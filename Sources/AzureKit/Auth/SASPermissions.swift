/// Blob service SAS permissions, emitted in the documented order `racwdxyltmeopi`.
public struct BlobSASPermissions: OptionSet, Sendable, Hashable {
    /// The letters (or name) as sent to the service.
    public let rawValue: String

    /// Creates a value from its raw text.
    public init(rawValue: String) {
        self.rawValue = Self.ordered(rawValue, order: Self.order)
    }

    /// Creates an empty set.
    public init() {
        self.rawValue = ""
    }

    static let order = "racwdxyltmeopi"

    /// Read content, properties, metadata, block list.
    public static let read = BlobSASPermissions(rawValue: "r")
    /// Add a block to an append blob.
    public static let add = BlobSASPermissions(rawValue: "a")
    /// Create a new blob.
    public static let create = BlobSASPermissions(rawValue: "c")
    /// Write content, properties, metadata, block list.
    public static let write = BlobSASPermissions(rawValue: "w")
    /// Delete a blob.
    public static let delete = BlobSASPermissions(rawValue: "d")
    /// Delete a blob version.
    public static let deleteVersion = BlobSASPermissions(rawValue: "x")
    /// List blobs (container SAS only).
    public static let list = BlobSASPermissions(rawValue: "l")
    /// Read and write blob index tags.
    public static let tag = BlobSASPermissions(rawValue: "t")
    /// Set immutability policy.
    public static let setImmutabilityPolicy = BlobSASPermissions(rawValue: "i")

    /// Everything a backup repository needs: read, add, create, write, delete, list.
    public static let repository: BlobSASPermissions = [.read, .add, .create, .write, .delete, .list]

    /// Adds the members of `other`.
    public mutating func formUnion(_ other: BlobSASPermissions) {
        self = BlobSASPermissions(rawValue: rawValue + other.rawValue)
    }

    /// Keeps only the members also in `other`.
    public mutating func formIntersection(_ other: BlobSASPermissions) {
        self = BlobSASPermissions(rawValue: String(rawValue.filter { other.rawValue.contains($0) }))
    }

    /// Keeps the members in exactly one of the two sets.
    public mutating func formSymmetricDifference(_ other: BlobSASPermissions) {
        let union = rawValue + other.rawValue
        self = BlobSASPermissions(
            rawValue: String(union.filter { !(rawValue.contains($0) && other.rawValue.contains($0)) })
        )
    }

    static func ordered(_ letters: String, order: String) -> String {
        String(order.filter { letters.contains($0) })
    }
}

/// Queue service SAS permissions, emitted in the documented order `raup`.
public struct QueueSASPermissions: OptionSet, Sendable, Hashable {
    /// The letters (or name) as sent to the service.
    public let rawValue: String

    /// Creates a value from its raw text.
    public init(rawValue: String) {
        self.rawValue = BlobSASPermissions.ordered(rawValue, order: "raup")
    }

    /// Creates an empty set.
    public init() {
        self.rawValue = ""
    }

    /// Peek messages and read metadata.
    public static let read = QueueSASPermissions(rawValue: "r")
    /// Add messages.
    public static let add = QueueSASPermissions(rawValue: "a")
    /// Update messages.
    public static let update = QueueSASPermissions(rawValue: "u")
    /// Get and delete messages.
    public static let process = QueueSASPermissions(rawValue: "p")

    /// Adds the members of `other`.
    public mutating func formUnion(_ other: QueueSASPermissions) {
        self = QueueSASPermissions(rawValue: rawValue + other.rawValue)
    }

    /// Keeps only the members also in `other`.
    public mutating func formIntersection(_ other: QueueSASPermissions) {
        self = QueueSASPermissions(rawValue: String(rawValue.filter { other.rawValue.contains($0) }))
    }

    /// Keeps the members in exactly one of the two sets.
    public mutating func formSymmetricDifference(_ other: QueueSASPermissions) {
        let union = rawValue + other.rawValue
        self = QueueSASPermissions(
            rawValue: String(union.filter { !(rawValue.contains($0) && other.rawValue.contains($0)) })
        )
    }
}
