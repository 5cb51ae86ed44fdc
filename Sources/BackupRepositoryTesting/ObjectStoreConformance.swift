import BackupRepository
import Foundation

/// The contract every ``ObjectStore`` keeps, as checks that a store's own tests run against a real instance.
///
/// Each ``Check`` writes under its own key prefix, so all checks can share one (empty) store and run in
/// parallel. A check throws ``ConformanceFailure`` naming what the store got wrong.
///
/// ```swift
/// @Test(arguments: ObjectStoreConformance.Check.allCases)
/// func conformance(_ check: ObjectStoreConformance.Check) async throws {
///     try await ObjectStoreConformance(store: makeStore(pageSize: 5), pageSize: 5).run(check)
/// }
/// ```
public struct ObjectStoreConformance: Sendable {
    /// One part of the contract.
    public enum Check: String, Sendable, CaseIterable, CustomStringConvertible {
        /// A listing of more keys than several pages hold returns each key once, in ascending order.
        case listingAcrossPages
        /// Listings under nested and partial prefixes return exactly the keys that start with them.
        case listingPrefixes
        /// Ranged reads at the start, in the middle, clamped at the end, empty and past the end.
        case rangedReads
        /// `head` of present, missing and deleted objects.
        case head
        /// A second create-only write fails with `alreadyExists` and leaves the first object.
        case createOnlyTwice
        /// Of concurrent create-only writes of one key, exactly one wins.
        case concurrentCreateOnly
        /// An overwrite replaces the object and its size.
        case overwrite
        /// A replace-existing write replaces a present object, and fails with `notFound` leaving nothing when
        /// the object is missing or was deleted.
        case replaceExisting
        /// Replace-existing writes racing a delete never bring the deleted object back.
        case replaceExistingRacingDelete
        /// Deleting a missing object succeeds; reading it gives `notFound`.
        case deleteMissing
        /// Modification times are present, plausible, and move forward on overwrite.
        case timestamps
        /// `get` refuses objects and ranges larger than `maxBytes` with `tooLarge`, naming the object.
        case sizeCap

        public var description: String { rawValue }
    }

    /// The store under test; it should be empty, or at least hold nothing under `conformance/`.
    public let store: any ObjectStore
    /// The number of objects the store returns per listing page (the listing checks write several times more).
    public let pageSize: Int
    /// How far the store's clock may be from this machine's (LocalCloud and a folder: the same clock).
    public let clockTolerance: TimeInterval

    /// Checks `store`, whose listing pages hold `pageSize` objects.
    public init(store: any ObjectStore, pageSize: Int, clockTolerance: TimeInterval = 120) {
        self.store = store
        self.pageSize = max(1, pageSize)
        self.clockTolerance = clockTolerance
    }

    /// Runs one check.
    /// - Throws: ``ConformanceFailure`` when the store breaks the contract, or the store's own errors.
    public func run(_ check: Check) async throws {
        let root = "conformance/\(check.rawValue)/"
        switch check {
        case .listingAcrossPages: try await listingAcrossPages(root)
        case .listingPrefixes: try await listingPrefixes(root)
        case .rangedReads: try await rangedReads(root)
        case .head: try await head(root)
        case .createOnlyTwice: try await createOnlyTwice(root)
        case .concurrentCreateOnly: try await concurrentCreateOnly(root)
        case .overwrite: try await overwrite(root)
        case .replaceExisting: try await replaceExisting(root)
        case .replaceExistingRacingDelete: try await replaceExistingRacingDelete(root)
        case .deleteMissing: try await deleteMissing(root)
        case .timestamps: try await timestamps(root)
        case .sizeCap: try await sizeCap(root)
        }
    }

    /// Throws a ``ConformanceFailure`` saying `what` unless `condition` holds.
    func require(_ condition: Bool, _ what: @autoclosure () -> String) throws {
        guard condition else { throw ConformanceFailure(store: store.location, message: what()) }
    }

    /// Runs `body` and returns the ``ObjectStoreError`` it throws; fails when it throws none.
    func expectError(_ what: String, _ body: () async throws -> Void) async throws -> ObjectStoreError {
        do {
            try await body()
        } catch let error as ObjectStoreError {
            return error
        }
        throw ConformanceFailure(store: store.location, message: "\(what) succeeded; it must throw ObjectStoreError")
    }

    /// Deterministic contents of `count` bytes that differ with `seed`.
    static func contents(_ count: Int, seed: UInt8) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &* 7 &+ ($0 >> 8)) })
    }

    /// Writes every key concurrently (a few at a time), each with small distinct contents; returns their sizes.
    @discardableResult
    func putAll(_ keys: [String]) async throws -> [String: Int64] {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, key) in keys.enumerated() {
                if index >= 8 { try await group.next() }
                group.addTask {
                    try await store.put(key, contents: Self.contents(index % 50, seed: UInt8(index % 251)))
                }
            }
            try await group.waitForAll()
        }
        var sizes: [String: Int64] = [:]
        for (index, key) in keys.enumerated() { sizes[key] = Int64(index % 50) }
        return sizes
    }
}

/// A store broke the ``ObjectStore`` contract.
public struct ConformanceFailure: Error, Sendable, CustomStringConvertible {
    /// The store's location.
    public var store: String
    /// What it got wrong.
    public var message: String

    public var description: String { "ObjectStore contract broken by \(store): \(message)" }
}
