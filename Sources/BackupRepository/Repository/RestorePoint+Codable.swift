import Foundation

/// The JSON form of a restore point (docs/FORMAT.md, "Restore points"): version 2 writes a `disks` array and an
/// optional `vm`; version 1 had one disk's fields at the top level and is read as a one-disk restore point.
extension RestorePoint: Codable {
    private enum CodingKeys: String, CodingKey {
        case version, id, created, disks, vm, parent, metadata, statistics
        case diskSize, blockSize, treeFanout, root
    }

    /// Decodes version 1 or 2; the caller checks the version first (``RestorePoint/readableVersions``).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        id = try container.decode(RestorePointID.self, forKey: .id)
        created = try container.decode(Date.self, forKey: .created)
        parent = try container.decodeIfPresent(RestorePointID.self, forKey: .parent)
        metadata = try container.decode(Data.self, forKey: .metadata)
        statistics = try container.decode(BackupProgress.self, forKey: .statistics)
        if version == 1 {
            disks = [
                RestorePointDisk(
                    slot: .os,
                    size: try container.decode(Int64.self, forKey: .diskSize),
                    blockSize: try container.decode(Int.self, forKey: .blockSize),
                    treeFanout: try container.decode(Int.self, forKey: .treeFanout),
                    root: try container.decodeIfPresent(StoredRef.self, forKey: .root)
                )
            ]
            vm = nil
        } else {
            disks = try container.decode([RestorePointDisk].self, forKey: .disks)
            vm = try container.decodeIfPresent(VMConfiguration.self, forKey: .vm)
        }
    }

    /// Encodes in the form of `version`; a version-1 point that gained disks or a VM is written as version 2.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let single = disks.count == 1 && vm == nil
        let form = version == 1 && single ? 1 : Swift.max(version, 2)
        try container.encode(form, forKey: .version)
        try container.encode(id, forKey: .id)
        try container.encode(created, forKey: .created)
        if form == 1, let disk = disks.first {
            try container.encode(disk.size, forKey: .diskSize)
            try container.encode(disk.blockSize, forKey: .blockSize)
            try container.encode(disk.treeFanout, forKey: .treeFanout)
            try container.encode(disk.root, forKey: .root)
        } else {
            try container.encode(disks, forKey: .disks)
            try container.encodeIfPresent(vm, forKey: .vm)
        }
        try container.encode(parent, forKey: .parent)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(statistics, forKey: .statistics)
    }
}
