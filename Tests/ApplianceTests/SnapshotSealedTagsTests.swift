import Foundation
import Testing

@testable import Appliance

@Suite struct SnapshotSealedTagsTests {
    static let vmName = "payroll-database-primary"

    static func metadata(disks: Int = 3) -> SnapshotMetadata {
        let members = (0..<disks).map {
            SnapshotMetadata.Member(slot: $0 == 0 ? "os" : "lun\($0 - 1)", snapshotName: "\(vmName)-abc-\($0)")
        }
        return SnapshotMetadata(
            vmResourceID:
                "/subscriptions/s/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/\(vmName)",
            vmName: vmName,
            sessionID: "session-1",
            taskID: "task-1",
            slot: "os",
            sourceDiskID: "/subscriptions/s/resourceGroups/rg-prod/providers/Microsoft.Compute/disks/\(vmName)-os",
            members: members,
            createdAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
    }

    @Test func sealedMetadataOpensAgainAndSplitsIntoShortOpaqueValues() throws {
        let key = SnapshotTagKey.random()
        let metadata = Self.metadata(disks: 8)
        let tags = try SealedSnapshotTags.seal(metadata, snapshotName: "snap-os", key: key)
        #expect(tags.count > 1)
        #expect(Set(tags.keys) == Set((0..<tags.count).map { "nimbus-meta-\($0)" }))
        for value in tags.values {
            #expect(value.count <= 256)
            #expect(!value.contains(Self.vmName))
            #expect(!value.contains("rg-prod"))
        }
        #expect(try SealedSnapshotTags.open(tags, snapshotName: "snap-os", key: key) == metadata)
        // Names are case-insensitive on Azure, and so is the binding.
        #expect(try SealedSnapshotTags.open(tags, snapshotName: "SNAP-OS", key: key) == metadata)
    }

    @Test func tamperedTruncatedForeignOrCopiedValuesDoNotOpen() throws {
        let key = SnapshotTagKey.random()
        let tags = try SealedSnapshotTags.seal(Self.metadata(disks: 8), snapshotName: "snap-os", key: key)
        var tampered = tags
        let first = try #require(tampered["nimbus-meta-0"])
        let flipped: Character = first.first == "A" ? "B" : "A"
        tampered["nimbus-meta-0"] = String(flipped) + first.dropFirst()
        var truncated = tags
        truncated["nimbus-meta-\(tags.count - 1)"] = nil
        var shortened = tags
        shortened["nimbus-meta-0"] = String(first.dropLast(4))
        var gap = tags
        gap["nimbus-meta-1"] = nil
        let cases: [(String, [String: String], String, SnapshotTagKey)] = [
            ("tampered", tampered, "snap-os", key),
            ("truncated", truncated, "snap-os", key),
            ("shortened", shortened, "snap-os", key),
            ("gap", gap, "snap-os", key),
            ("another key", tags, "snap-os", SnapshotTagKey.random()),
            ("copied onto another snapshot", tags, "snap-lun0", key),
            ("no tags", [:], "snap-os", key),
        ]
        for (what, candidate, name, candidateKey) in cases {
            let error = #expect(throws: ApplianceError.self, "\(what)") {
                try SealedSnapshotTags.open(candidate, snapshotName: name, key: candidateKey)
            }
            #expect(error?.description.contains(name) == true, "\(what): the error names the snapshot")
        }
    }

    @Test func aTagKeyMustBe32Bytes() throws {
        #expect(throws: ApplianceError.self) { try SnapshotTagKey(bytes: Data(count: 16)) }
        let key = try SnapshotTagKey(bytes: Data(repeating: 7, count: 32))
        #expect(key.bytes == Data(repeating: 7, count: 32))
    }
}
