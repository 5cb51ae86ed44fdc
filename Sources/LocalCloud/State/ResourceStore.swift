import AzureKit
import Crypto
import Foundation
import Synchronization

/// One ARM resource as stored: its ID, the JSON body returned to clients, and state private to its provider.
public struct StoredResource: Sendable, Codable, Hashable {
    /// The full resource ID (original casing).
    public var id: String
    /// The resource as ARM returns it (`id`, `name`, `type`, `location`, `tags`, `properties`, …).
    public var body: AzureJSON
    /// Provider-private state that is persisted but never returned to clients.
    public var hidden: AzureJSON

    /// Creates a stored resource.
    public init(id: String, body: AzureJSON, hidden: AzureJSON = .null) {
        self.id = id
        self.body = body
        self.hidden = hidden
    }
}

/// The persisted set of ARM resources, keyed by case-insensitive resource ID.
///
/// Every resource is one JSON file under `DIR/resources/`, named by the SHA-256 of its lowercased ID and written
/// atomically; all of them are loaded into memory at start. A change takes a version under the lock and is
/// written on ``FileIO`` after it is released; an older version of a file never overwrites a newer one.
public final class ResourceStore: Sendable {
    private let directory: URL
    private let resources: Mutex<[String: StoredResource]>
    private let version = Atomic<UInt64>(0)
    private let files = OrderedFileWriter()

    /// Opens (or creates) the store under `directory` and loads every resource in it.
    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var loaded: [String: StoredResource] = [:]
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for file in files where file.hasSuffix(".json") {
            if let resource = try AtomicFile.readJSON(StoredResource.self, from: directory.appendingPathComponent(file))
            {
                loaded[resource.id.lowercased()] = resource
            }
        }
        self.resources = Mutex(loaded)
    }

    /// The resource with `id`, or `nil`.
    public func get(_ id: String) -> StoredResource? {
        resources.withLock { $0[id.lowercased()] }
    }

    /// Stores (creates or replaces) a resource and persists it.
    public func put(_ resource: StoredResource) async throws {
        let data = try AtomicFile.encode(resource)
        let version = resources.withLock { all in
            all[resource.id.lowercased()] = resource
            return nextVersion()
        }
        try await write(data, to: fileURL(for: resource.id), version: version)
    }

    /// Applies `change` to the resource with `id` atomically with respect to other updates, persists and returns it.
    @discardableResult
    public func update(
        _ id: String,
        _ change: (inout StoredResource) throws -> Void
    ) async throws -> StoredResource? {
        let updated: (StoredResource, UInt64)? = try resources.withLock { all in
            guard var resource = all[id.lowercased()] else { return nil }
            try change(&resource)
            all[id.lowercased()] = resource
            return (resource, nextVersion())
        }
        guard let (resource, version) = updated else { return nil }
        try await write(try AtomicFile.encode(resource), to: fileURL(for: resource.id), version: version)
        return resource
    }

    /// Removes the resource with `id`; returns whether it existed.
    @discardableResult
    public func delete(_ id: String) async throws -> Bool {
        let (existed, version) = resources.withLock { all in
            (all.removeValue(forKey: id.lowercased()) != nil, nextVersion())
        }
        try await write(nil, to: fileURL(for: id), version: version)
        return existed
    }

    /// All resources whose ID starts with `prefix` (case-insensitive), sorted by ID.
    public func list(prefix: String) -> [StoredResource] {
        let lowered = prefix.lowercased()
        return resources.withLock { all in
            all.filter { $0.key.hasPrefix(lowered) }.map(\.value)
        }.sorted { $0.id.lowercased() < $1.id.lowercased() }
    }

    /// All resources for which `predicate` holds, sorted by ID.
    public func list(where predicate: (StoredResource) -> Bool) -> [StoredResource] {
        resources.withLock { all in all.values.filter(predicate) }.sorted { $0.id.lowercased() < $1.id.lowercased() }
    }

    /// Persists one change on ``FileIO`` (the write blocks in fsync).
    private func write(_ data: Data?, to url: URL, version: UInt64) async throws {
        let files = self.files
        try await FileIO.run { try files.write(data, to: url, version: version) }
    }

    /// The next change's version (call it under the lock, so versions follow the order of changes).
    private func nextVersion() -> UInt64 {
        version.wrappingAdd(1, ordering: .relaxed).newValue
    }

    private func fileURL(for id: String) -> URL {
        let digest = SHA256.hash(data: Data(id.lowercased().utf8))
        let name = digest.map { String(format: "%02x", $0) }.joined()
        return directory.appendingPathComponent("\(name).json")
    }
}
