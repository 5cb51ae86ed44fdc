import AzureKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes into a managed disk as the guest of its VM would: importing a raw image, or changing a share of the disk
/// in scattered writes. Works on a LocalCloud data folder that no running LocalCloud holds.
public struct GuestDiskIO: Sendable {
    private let resources: ResourceStore
    private let disks: ManagedDisks

    /// Opens the resources and disks of the data folder `dataDirectory`.
    ///
    /// - Throws: `LocalCloudError` when the folder cannot be opened or a running LocalCloud holds it.
    public init(dataDirectory: URL) throws {
        resources = try ResourceStore(directory: dataDirectory.appendingPathComponent("resources"))
        disks = try ManagedDisks(directory: dataDirectory.appendingPathComponent("disks"))
    }

    init(resources: ResourceStore, disks: ManagedDisks) {
        self.resources = resources
        self.disks = disks
    }

    /// Uses the disks of a LocalCloud running in this process (for tests and the embedded demo).
    ///
    /// - Throws: `LocalCloudError` when `cloud` has no managed-disk provider.
    public init(cloud: CloudServices) throws {
        guard let provider = cloud.arm.provider(namespace: "Microsoft.Compute", type: "disks") as? ComputeProvider
        else {
            throw LocalCloudError(.state, "This LocalCloud serves no managed disks.")
        }
        resources = cloud.resources
        disks = provider.disks
    }

    /// A disk by ARM ID, or by name when exactly one disk has it.
    ///
    /// - Returns: The disk's ID and its data size in bytes (without the VHD footer).
    public func disk(_ reference: String) throws -> (id: String, size: Int64) {
        let candidates = resources.list { stored in
            ResourceIDs.isType(stored.id, Disk.resourceType)
                && (stored.id.lowercased() == reference.lowercased()
                    || ResourceIDs.name(stored.id).lowercased() == reference.lowercased())
        }
        guard candidates.count == 1, let disk = candidates.first else {
            throw LocalCloudError(
                .state,
                candidates.isEmpty
                    ? "No disk named \(reference) exists; give its name or full resource ID."
                    : "Several disks are named \(reference); give the full resource ID."
            )
        }
        let size = Int64(disk.body["properties"]?["diskSizeBytes"]?.intValue ?? 0)
        return (disk.id, size)
    }

    /// Writes the raw image `file` at the start of the disk; all-zero pieces over never-written pages are skipped,
    /// so the disk stays sparse. The file is read and the disk written on ``FileIO``.
    ///
    /// - Returns: The number of bytes that held data and were written.
    @discardableResult
    public func importImage(disk reference: String, file: URL) async throws -> Int64 {
        let (id, size) = try disk(reference)
        let volume = try volume(of: id)
        let path = file.path
        let opened: (FileHandle, Int64)? = try await FileIO.run {
            guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
            let fileSize = Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
            return (handle, fileSize)
        }
        guard let (handle, fileSize) = opened else {
            throw LocalCloudError(.io, "Could not open the image \(path); check the path.")
        }
        do {
            guard fileSize <= size else {
                throw LocalCloudError(
                    .state,
                    "The image \(path) has \(fileSize) bytes but disk \(ResourceIDs.name(id)) holds \(size); use a "
                        + "larger disk."
                )
            }
            var offset: Int64 = 0
            var written: Int64 = 0
            while offset < fileSize {
                let data = try await FileIO.run { handle.readData(ofLength: Self.chunkSize) }
                if data.isEmpty { break }
                written += try await writeImagePiece(volume: volume, offset: offset, data: data)
                offset += Int64(data.count)
            }
            _ = try? await FileIO.run { try handle.close() }
            return written
        } catch {
            _ = try? await FileIO.run { try handle.close() }
            throw error
        }
    }

    /// Writes a stream of image bytes at the start of the disk, as ``importImage(disk:file:)`` does with a file.
    ///
    /// - Returns: The number of bytes that held data and were written.
    public func importImage(disk reference: String, stream: some AsyncSequence<Data, any Error>) async throws -> Int64 {
        let (id, size) = try disk(reference)
        let volume = try volume(of: id)
        var pending = Data()
        var offset: Int64 = 0
        var written: Int64 = 0
        func flush(_ piece: Data) async throws {
            guard offset + Int64(piece.count) <= size else {
                throw LocalCloudError(
                    .state,
                    "The image is larger than disk \(ResourceIDs.name(id)) (\(size) bytes); use a larger disk."
                )
            }
            written += try await writeImagePiece(volume: volume, offset: offset, data: piece)
            offset += Int64(piece.count)
        }
        for try await data in stream {
            pending.append(data)
            while pending.count >= Self.chunkSize {
                try await flush(pending.prefix(Self.chunkSize))
                pending = Data(pending.dropFirst(Self.chunkSize))
            }
        }
        if !pending.isEmpty { try await flush(pending) }
        return written
    }

    /// Writes one piece of an image at `offset` (padded to whole pages); an all-zero piece is only written
    /// (cleared) where the disk holds data. Returns the bytes of data written. The page store is called on
    /// ``FileIO``.
    private func writeImagePiece(volume: PageStore.VolumeID, offset: Int64, data: Data) async throws -> Int64 {
        var data = data
        let padded = (data.count + 511) / 512 * 512
        if padded > data.count { data.append(Data(count: padded - data.count)) }
        let range = offset..<(offset + Int64(data.count))
        let pages = disks.pages
        if data.allSatisfy({ $0 == 0 }) {
            if !(try pages.validRanges(of: .volume(volume), in: range)).isEmpty {
                let length = Int64(data.count)
                try await FileIO.run { try pages.clear(volume, offset: offset, length: length) }
            }
            return 0
        }
        let piece = data
        try await FileIO.run { try piece.withUnsafeBytes { try pages.write(volume, offset: offset, bytes: $0) } }
        return Int64(data.count)
    }

    /// The size of the pieces images are written in.
    static let chunkSize = 4 * 1024 * 1024

    /// Changes `percent` of the disk in scattered 4–256 KiB writes of random bytes (written on ``FileIO``).
    ///
    /// - Returns: The plan that was written (its ``DiskMutationPlan/changedRanges`` are what changed).
    public func mutate(disk reference: String, percent: Double, seed: UInt64) async throws -> DiskMutationPlan {
        let (id, size) = try disk(reference)
        let volume = try volume(of: id)
        var generator = SeededGenerator(seed: seed)
        let plan = DiskMutationPlan(diskSize: size, percent: percent, generator: &generator)
        for write in plan.writes {
            var bytes = [UInt8](repeating: 0, count: Int(write.length))
            bytes.withUnsafeMutableBytes { raw in
                let words = raw.bindMemory(to: UInt64.self)
                for index in words.indices { words[index] = generator.next() }
            }
            let pages = disks.pages
            let offset = write.offset
            try await FileIO.run { [bytes] in
                try bytes.withUnsafeBytes { try pages.write(volume, offset: offset, bytes: $0) }
            }
        }
        return plan
    }

    private func volume(of id: String) throws -> PageStore.VolumeID {
        guard let stored = resources.get(id), let volume = stored.hidden["volume"]?.stringValue else {
            throw LocalCloudError(.state, "The disk \(id) has no data volume.")
        }
        return PageStore.VolumeID(volume)
    }
}

extension GuestDiskIO {
    /// Whether a running LocalCloud holds the data folder (then use ``GuestDiskRemote``).
    public static func isServed(dataDirectory: URL) -> Bool {
        let path = dataDirectory.appendingPathComponent("disks").appendingPathComponent("lock").path
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return true }
        flock(descriptor, LOCK_UN)
        return false
    }
}
