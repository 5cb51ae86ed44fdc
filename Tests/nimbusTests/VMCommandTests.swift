import Foundation
import Testing

/// `nimbus repo backup-vm`, and `list`, `show` and `restore-image --disk` on VM restore points.
@Suite struct VMCommandTests {
    let folder: TemporaryFolder
    let nimbus: NimbusProcess

    init() throws {
        folder = try TemporaryFolder()
        nimbus = NimbusProcess(environment: ["NIMBUS_PASSWORD": "correct horse"])
    }

    static let configuration = """
        {"name": "web-01", "resourceID": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/web-01",
         "region": "westeurope", "size": "Standard_D2s_v5", "osType": "Linux", "zones": [], "tags": {"env": "demo"},
         "networkInterfaces": [{"resourceID": "/subscriptions/0/nic/web-01-nic", "subnetID": "/subscriptions/0/subnets/app",
                                "primary": true, "hasPublicIP": false}],
         "disks": [{"slot": "os", "name": "web-01-os", "resourceID": "/subscriptions/0/disks/web-01-os",
                    "sizeBytes": 2097152, "sku": "Premium_LRS"},
                   {"slot": "0", "name": "web-01-data0", "resourceID": "/subscriptions/0/disks/web-01-data0",
                    "sizeBytes": 1048576, "sku": "StandardSSD_LRS"}]}
        """

    @Test func aVMBackupListsShowsAndRestoresEachDisk() async throws {
        defer { folder.remove() }
        let repo = folder.path("repo")
        let made = try await nimbus.run(["repo", "init", "--repo", repo, "--weak-key-derivation-for-testing"])
        #expect(made.status == 0, "\(made.standardError)")
        let os = folder.path("os.img")
        let data = folder.path("data0.img")
        #expect(try await nimbus.run(["dev", "gen-image", os, "--size", "2MiB", "--seed", "1"]).status == 0)
        #expect(try await nimbus.run(["dev", "gen-image", data, "--size", "1MiB", "--seed", "2"]).status == 0)
        let config = folder.path("vm.json")
        try Data(Self.configuration.utf8).write(to: URL(fileURLWithPath: config))

        let full = try await nimbus.run([
            "repo", "backup-vm", "--repo", repo, "--config", config, "--disk", "os=\(os)", "--disk", "0=\(data)",
            "--json",
        ])
        #expect(full.status == 0, "\(full.standardError)")
        let fullID = try #require(try full.jsonObject()["id"] as? String)
        #expect(try full.jsonObject()["disks"] as? [String] == ["os", "0"])

        let ranges = folder.path("ranges.json")
        #expect(try await nimbus.run(["dev", "mutate", data, "--percent", "2", "--record", ranges]).status == 0)
        let incremental = try await nimbus.run([
            "repo", "backup-vm", "--repo", repo, "--config", config, "--disk", "os=\(os)", "--disk", "0=\(data)",
            "--parent", "latest", "--changed-ranges", "0=\(ranges)", "--json",
        ])
        #expect(incremental.status == 0, "\(incremental.standardError)")
        let report = try incremental.jsonObject()
        #expect(report["parent"] as? String == fullID)
        let id = try #require(report["id"] as? String)

        let list = try await nimbus.run(["repo", "list", "--repo", repo, "--json"])
        let entries = try list.jsonArray()
        #expect(entries.map { $0["vm"] as? String } == ["web-01", "web-01"])
        #expect(entries.map { $0["disks"] as? Int } == [2, 2])
        let table = try await nimbus.run(["repo", "list", "--repo", repo])
        #expect(table.standardOutput.contains("web-01"))

        let show = try await nimbus.run(["repo", "show", "--repo", repo, id])
        #expect(show.status == 0)
        #expect(show.standardOutput.contains("VM             web-01 (Linux, Standard_D2s_v5, westeurope)"))
        #expect(show.standardOutput.contains("disk 0"))
        #expect(show.standardOutput.contains("web-01-data0"))
        let shown = try await nimbus.run(["repo", "show", "--repo", repo, id, "--json"]).jsonObject()
        #expect((shown["vm"] as? [String: Any])?["name"] as? String == "web-01")
        #expect((shown["disks"] as? [[String: Any]])?.compactMap { $0["slot"] as? String } == ["os", "0"])

        for (slot, image) in [("os", os), ("0", data)] {
            let out = folder.path("restored-\(slot).img")
            let restore = try await nimbus.run(["repo", "restore-image", "--repo", repo, id, out, "--disk", slot])
            #expect(restore.status == 0, "\(restore.standardError)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(contentsOf: URL(fileURLWithPath: image)))
        }
        let ambiguous = try await nimbus.run(["repo", "restore-image", "--repo", repo, id, folder.path("x.img")])
        #expect(ambiguous.status != 0)
        #expect(ambiguous.standardError.contains("--disk"))
        #expect(
            ambiguous.standardError.contains("os (web-01-os)") && ambiguous.standardError.contains("0 (web-01-data0)")
        )
        let missing = try await nimbus.run([
            "repo", "restore-image", "--repo", repo, id, folder.path("x.img"), "--disk", "5",
        ])
        #expect(missing.status != 0 && missing.standardError.contains("has no disk 5"))
    }

    @Test func aDiskMissingFromTheConfigurationIsRefused() async throws {
        defer { folder.remove() }
        let repo = folder.path("repo")
        #expect(
            try await nimbus.run(["repo", "init", "--repo", repo, "--weak-key-derivation-for-testing"]).status == 0
        )
        let image = folder.path("a.img")
        #expect(try await nimbus.run(["dev", "gen-image", image, "--size", "256KiB"]).status == 0)
        let config = folder.path("vm.json")
        try Data(Self.configuration.utf8).write(to: URL(fileURLWithPath: config))
        let result = try await nimbus.run([
            "repo", "backup-vm", "--repo", repo, "--config", config, "--disk", "os=\(image)", "--disk", "7=\(image)",
        ])
        #expect(result.status != 0)
        #expect(result.standardError.contains("disk 7 is not one of the disks of VM web-01"))
        let list = try await nimbus.run(["repo", "list", "--repo", repo, "--json"])
        #expect(try list.jsonArray().isEmpty)
    }
}
