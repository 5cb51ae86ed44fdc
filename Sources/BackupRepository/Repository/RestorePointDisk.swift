/// One disk of a restore point: where it sits in the VM, its size, and the block-map tree of its contents.
public struct RestorePointDisk: Sendable, Codable, Hashable {
    /// The OS disk, or a data disk at a LUN; `os` for a single-image restore point.
    public var slot: VMDiskSlot
    /// The disk's size in bytes.
    public var size: Int64
    /// The repository block size its tree was written with.
    public var blockSize: Int
    /// The tree's fanout.
    public var treeFanout: Int
    /// The root node of the block-map tree; `nil` when the whole disk is zero (or empty).
    public var root: RestorePoint.StoredRef?

    /// A disk entry.
    public init(slot: VMDiskSlot, size: Int64, blockSize: Int, treeFanout: Int, root: RestorePoint.StoredRef?) {
        self.slot = slot
        self.size = size
        self.blockSize = blockSize
        self.treeFanout = treeFanout
        self.root = root
    }

    /// The shape of the disk's tree.
    var geometry: TreeGeometry { TreeGeometry(diskSize: size, blockSize: blockSize, fanout: treeFanout) }

    /// The number of blocks of the disk.
    var blockCount: Int64 { geometry.blockCount }
}

extension RestorePoint {
    /// The disk in `slot`; with `nil`, the only disk.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/invalidArgument`` naming the disks there are
    ///   when `slot` is not one of them, or when `slot` is `nil` and there are several.
    public func disk(_ slot: VMDiskSlot?) throws -> RestorePointDisk {
        let slots = disks.map(\.slot.description).joined(separator: ", ")
        guard let slot else {
            guard disks.count == 1, let only = disks.first else {
                throw RepositoryError(
                    .invalidArgument,
                    "restore point \(id) holds \(disks.count) disks (\(slots)); choose one with --disk os|LUN"
                )
            }
            return only
        }
        guard let found = disks.first(where: { $0.slot == slot }) else {
            throw RepositoryError(
                .invalidArgument,
                "restore point \(id) has no disk \(slot); its disks are \(slots.isEmpty ? "none" : slots)"
            )
        }
        return found
    }

    /// The root reference of `disk`'s tree, checked; `nil` for an all-zero disk.
    func rootRef(of disk: RestorePointDisk, location: String) throws -> BlockRef? {
        guard let stored = disk.root else { return nil }
        guard let ref = stored.ref else {
            throw RepositoryError.damaged(
                id.objectKey,
                location: location,
                "the root reference of its disk \(disk.slot) is invalid"
            )
        }
        return ref
    }
}
