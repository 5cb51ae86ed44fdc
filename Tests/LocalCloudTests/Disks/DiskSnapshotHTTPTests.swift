import AzureKit
import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

@Suite struct DiskSnapshotHTTPTests {
    /// Creates an empty disk of `sizeGB` and returns its ID.
    private func disk(_ cloud: ComputeTestCloud, _ name: String, sizeGB: Int = 1, extra: AzureJSON = [:]) async throws
        -> String
    {
        let id = cloud.id("rg", "Microsoft.Compute/disks", name)
        var properties: AzureJSON = ["creationData": ["createOption": "Empty"], "diskSizeGB": .integer(Int64(sizeGB))]
        for (key, value) in extra.objectValue ?? [:] { properties[key] = value }
        let reply = try await cloud.arm(.PUT, id, body: ["location": "westeurope", "properties": properties])
        #expect(reply.status == 202)
        return id
    }

    private func snapshot(_ cloud: ComputeTestCloud, _ name: String, of disk: String, tags: AzureJSON = [:])
        async throws
        -> ComputeTestCloud.Reply
    {
        try await cloud.arm(
            .PUT,
            cloud.id("rg", "Microsoft.Compute/snapshots", name),
            body: [
                "location": "westeurope", "tags": tags,
                "properties": [
                    "creationData": ["createOption": "Copy", "sourceResourceId": .string(disk)], "incremental": true,
                ],
            ]
        )
    }

    private func grant(_ cloud: ComputeTestCloud, _ id: String, seconds: Int = 3600, access: String = "Read")
        async throws -> String
    {
        let begin = try await cloud.arm(
            .POST,
            id + "/beginGetAccess",
            body: ["access": .string(access), "durationInSeconds": .integer(Int64(seconds))]
        )
        #expect(begin.status == 202)
        #expect(begin.header("Azure-AsyncOperation") != nil)
        let done = try await cloud.finish(begin)
        return try #require(done.json?["accessSAS"]?.stringValue)
    }

    /// The page ranges of a `comp=pagelist` answer as (start, end inclusive, cleared).
    private func ranges(_ xml: String) -> [(Int64, Int64, Bool)] {
        var result: [(Int64, Int64, Bool)] = []
        var rest = Substring(xml)
        while let open = rest.range(of: "<PageRange>") ?? rest.range(of: "<ClearRange>") {
            let cleared = rest[open].hasPrefix("<Clear")
            let tail = rest[open.upperBound...]
            guard let start = tail.range(of: "<Start>"), let startEnd = tail.range(of: "</Start>"),
                let end = tail.range(of: "<End>"), let endEnd = tail.range(of: "</End>")
            else { break }
            result.append(
                (
                    Int64(tail[start.upperBound..<startEnd.lowerBound]) ?? -1,
                    Int64(tail[end.upperBound..<endEnd.lowerBound]) ?? -1, cleared
                )
            )
            rest = tail[endEnd.upperBound...]
        }
        return result
    }

    private func folderSize(_ path: String) -> Int64 {
        let enumerator = FileManager.default.enumerator(atPath: path)
        var total: Int64 = 0
        while let item = enumerator?.nextObject() as? String {
            let url = URL(fileURLWithPath: path + "/" + item)
            let values = try? url.resourceValues(forKeys: [.totalFileAllocatedSizeKey])
            total += Int64(values?.totalFileAllocatedSize ?? 0)
        }
        return total
    }

    @Test func snapshotsDiffToExactlyTheGuestsWritesAndSASIsRevocable() async throws {
        let cloud = try await ComputeTestCloud.start()
        do {
            try await cloud.group("rg")
            let diskId = try await disk(cloud, "data", sizeGB: 1)
            let io = try GuestDiskIO(cloud: cloud.cloud.services)
            _ = try await io.mutate(disk: "data", percent: 2, seed: 7)
            let disksFolder = cloud.folder.path + "/disks"
            let before = folderSize(disksFolder)
            let first = try await snapshot(
                cloud,
                "snap1",
                of: diskId,
                tags: ["nimbus-meta-0": .string(String(repeating: "x", count: 256))]
            )
            #expect(first.status == 202)
            #expect(folderSize(disksFolder) - before < 1024 * 1024)
            let plan = try await io.mutate(disk: diskId, percent: 1, seed: 8)
            #expect(try await snapshot(cloud, "snap2", of: diskId).status == 202)

            let snap1 = cloud.id("rg", "Microsoft.Compute/snapshots", "snap1")
            let snap2 = cloud.id("rg", "Microsoft.Compute/snapshots", "snap2")
            let one = try await cloud.arm(.GET, snap1)
            let two = try await cloud.arm(.GET, snap2)
            #expect(one.json?["properties"]?["incremental"] == true)
            #expect(
                one.json?["properties"]?["incrementalSnapshotFamilyId"]
                    == two.json?["properties"]?["incrementalSnapshotFamilyId"]
            )
            let sas1 = try await grant(cloud, snap1)
            let sas2 = try await grant(cloud, snap2)
            // Azure's export URLs name a stored access policy (si) instead of carrying sp and se.
            #expect(sas1.contains("/md-") && sas1.contains("sr=b") && sas1.contains("si=") && sas1.contains("sig="))
            #expect(!sas1.contains("sp=") && !sas1.contains("se="))

            let diff = try await cloud.send(
                .GET,
                url: sas2 + "&comp=pagelist",
                headers: ["x-ms-version": "2021-12-02", "x-ms-previous-snapshot-url": sas1]
            )
            #expect(diff.status == 200)
            let listed = ranges(diff.text).map { [$0.0, $0.1 - $0.0 + 1] }
            #expect(listed == plan.changedRanges)
            #expect(diff.header("x-ms-blob-content-length") == String((1 << 30) + 512))

            let write = try #require(plan.writes.first)
            let ranged = try await cloud.send(
                .GET,
                url: sas2,
                headers: ["x-ms-version": "2021-12-02", "x-ms-range": "bytes=\(write.offset)-\(write.offset + 4095)"]
            )
            #expect(ranged.status == 206)
            #expect(ranged.header("Content-Range") == "bytes \(write.offset)-\(write.offset + 4095)/\((1 << 30) + 512)")
            let old = try await cloud.send(
                .GET,
                url: sas1,
                headers: ["x-ms-range": "bytes=\(write.offset)-\(write.offset + 4095)"]
            )
            #expect(old.body != ranged.body)
            let footer = try await cloud.send(
                .GET,
                url: sas1,
                headers: ["x-ms-range": "bytes=\(1 << 30)-\((1 << 30) + 511)"]
            )
            #expect(footer.body.prefix(8) == Data("conectix".utf8))
            let past = try await cloud.send(
                .GET,
                url: sas1,
                headers: ["x-ms-range": "bytes=\((1 << 30) + 512)-\((1 << 30) + 1023)"]
            )
            #expect(past.status == 416)

            let end = try await cloud.arm(.POST, snap2 + "/endGetAccess")
            #expect(end.status == 202)
            let revoked = try await cloud.send(.GET, url: sas2, headers: ["x-ms-range": "bytes=0-511"])
            #expect(revoked.status == 403)
            #expect(revoked.header("x-ms-error-code") == "AuthenticationFailed")
            let otherPolicy = try await cloud.send(.GET, url: sas1.replacingOccurrences(of: "si=", with: "si=x"))
            #expect(otherPolicy.status == 403)
            let forged = try await cloud.send(.GET, url: sas1.replacingOccurrences(of: "sig=", with: "sig=AA"))
            #expect(forged.status == 403)

            // A one-second grant ends; wait for that instead of guessing how long the machine takes.
            let short = try await grant(cloud, diskId, seconds: 1)
            var expired = try await cloud.send(.HEAD, url: short)
            for _ in 0..<300 where expired.status != 403 {
                try await Task.sleep(for: .milliseconds(100))
                expired = try await cloud.send(.HEAD, url: short)
            }
            #expect(expired.status == 403)
        } catch {
            await cloud.stop()
            throw error
        }
        await cloud.stop()
    }

    @Test func snapshotTagsFollowAzuresLimits() async throws {
        let cloud = try await ComputeTestCloud.start()
        do {
            try await cloud.group("rg")
            let diskId = try await disk(cloud, "data")
            var many: [String: AzureJSON] = [:]
            for index in 0..<51 { many["t\(index)"] = "v" }
            let tooMany = try await snapshot(cloud, "s1", of: diskId, tags: .object(many))
            #expect(tooMany.status == 400)
            #expect(tooMany.json?["error"]?["code"] == "InvalidTags")
            #expect(
                tooMany.json?["error"]?["message"]
                    == "Too many tags specified. Requested tag count - '51'. Maximum number of tags allowed - '50'."
            )
            let longValue = try await snapshot(
                cloud,
                "s2",
                of: diskId,
                tags: ["k": .string(String(repeating: "v", count: 257))]
            )
            #expect(longValue.status == 400)
            #expect(longValue.json?["error"]?["code"] == "InvalidTagValueLength")
            let longName = try await snapshot(cloud, "s3", of: diskId, tags: [String(repeating: "n", count: 513): "v"])
            #expect(longName.status == 400)
            #expect(longName.json?["error"]?["code"] == "InvalidTagName")
            let reserved = try await snapshot(cloud, "s5", of: diskId, tags: ["a/b": "v"])
            #expect(reserved.json?["error"]?["code"] == "InvalidTagNameCharacters")
            many.removeValue(forKey: "t0")
            #expect(try await snapshot(cloud, "s4", of: diskId, tags: .object(many)).status == 202)
        } catch {
            await cloud.stop()
            throw error
        }
        await cloud.stop()
    }

    @Test func uploadDiskTakesPagesThroughAWriteSAS() async throws {
        let cloud = try await ComputeTestCloud.start()
        do {
            try await cloud.group("rg")
            let id = cloud.id("rg", "Microsoft.Compute/disks", "upload")
            let size = 20 * 1024 * 1024 + 512
            let created = try await cloud.arm(
                .PUT,
                id,
                body: [
                    "location": "westeurope",
                    "properties": [
                        "creationData": ["createOption": "Upload", "uploadSizeBytes": .integer(Int64(size))]
                    ],
                ]
            )
            #expect(created.status == 202)
            #expect(try await cloud.arm(.GET, id).json?["properties"]?["diskState"] == "ReadyToUpload")
            let sas = try await grant(cloud, id, access: "Write")
            #expect(try await cloud.arm(.GET, id).json?["properties"]?["diskState"] == "ActiveUpload")
            let page = Data((0..<1024).map { UInt8($0 % 251) })
            let put = try await cloud.send(
                .PUT,
                url: sas + "&comp=page",
                headers: ["x-ms-page-write": "update", "x-ms-range": "bytes=1024-2047", "Content-Length": "1024"],
                body: page
            )
            #expect(put.status == 201)
            let misaligned = try await cloud.send(
                .PUT,
                url: sas + "&comp=page",
                headers: ["x-ms-page-write": "update", "x-ms-range": "bytes=100-611"],
                body: Data(count: 512)
            )
            #expect(misaligned.status == 416)
            #expect(try await cloud.arm(.POST, id + "/endGetAccess").status == 202)
            #expect(try await cloud.arm(.GET, id).json?["properties"]?["diskState"] == "Unattached")
            let read = try await grant(cloud, id)
            let back = try await cloud.send(.GET, url: read, headers: ["x-ms-range": "bytes=1024-2047"])
            #expect(back.body == page)
            let list = try await cloud.send(.GET, url: read + "&comp=pagelist")
            #expect(ranges(list.text).map { [$0.0, $0.1] } == [[1024, 2047]])
        } catch {
            await cloud.stop()
            throw error
        }
        await cloud.stop()
    }
}
