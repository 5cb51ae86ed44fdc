import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

/// Over the storage API: Snapshot Blob taken while clients keep sending Put Page keeps each snapshot's content,
/// and Get Page Ranges between consecutive snapshots lists exactly the pages written between them.
///
/// A `slowWrite` fault rule makes every Put Page's data take longer to reach the disk, so that Put Page calls are
/// under way whenever Snapshot Blob runs and a snapshot that let them change it afterwards is caught.
@Suite struct PageBlobSnapshotRaceHTTPTests {
    @Test func snapshotBlobDuringPutPageIsExactAndStable() async throws {
        try await TestCloud.with { cloud in
            let key = try await cloud.makeAccount("pagerace")
            var slow = FaultRule(kind: .slowWrite, service: "blob", account: "pagerace", operation: "PutPage")
            slow.latencyMs = 150
            try await cloud.cloud.services.faults.replace(FaultRules(rules: [slow]))
            let signer = SharedKeySigner(account: "pagerace", key: key)
            let base = "\(cloud.endpoints.authorityHost)/pagerace"
            let containerURL = "\(base)/disks?restype=container"
            _ = try await cloud.send(.PUT, containerURL, headers: signer.headers(method: "PUT", url: containerURL))
            let model = ConcurrentWriteModel(writers: 3, regionSize: 256 << 10)
            let blob = "\(base)/disks/race.vhd"
            let created = try await cloud.send(
                .PUT,
                blob,
                headers: signer.headers(
                    method: "PUT",
                    url: blob,
                    headers: [("x-ms-blob-type", "PageBlob"), ("x-ms-blob-content-length", String(model.volumeSize))]
                )
            )
            try #require(created.status == 201)
            @Sendable func readSnapshot(_ time: String) async throws -> [UInt8] {
                let url = "\(blob)?snapshot=\(Self.encode(time))"
                let reply = try await cloud.send(.GET, url, headers: signer.headers(method: "GET", url: url))
                try #require(reply.status == 200, "Get Blob of snapshot \(time): \(reply.status)")
                return reply.body
            }
            let snapshotCount = 12

            let snapshots = try await withThrowingTaskGroup(
                of: [(String, ConcurrentWriteModel.SnapshotBounds, [UInt8])].self
            ) {
                group in
                for writer in 0..<model.writers {
                    group.addTask {
                        var generator = SeededGenerator(seed: UInt64(writer) &+ 0xb10b)
                        while model.isRunning {
                            let write = model.begin(writer: writer, maxPages: 64, using: &generator)
                            let url = "\(blob)?comp=page"
                            let range = "bytes=\(write.range.lowerBound)-\(write.range.upperBound - 1)"
                            let headers = [("x-ms-page-write", "update"), ("x-ms-range", range)]
                            let reply = try await cloud.send(
                                .PUT,
                                url,
                                headers: signer.headers(
                                    method: "PUT",
                                    url: url,
                                    headers: headers,
                                    contentLength: write.bytes.count
                                ),
                                body: write.bytes
                            )
                            try #require(reply.status == 201, "Put Page: \(reply.status) \(reply.text)")
                            model.acknowledge(writer: writer)
                        }
                        return []
                    }
                }
                group.addTask {
                    defer { model.stop() }
                    var taken: [(String, ConcurrentWriteModel.SnapshotBounds, [UInt8])] = []
                    let url = "\(blob)?comp=snapshot"
                    for _ in 0..<snapshotCount {
                        let before = model.acknowledgedCounts()
                        let reply = try await cloud.send(.PUT, url, headers: signer.headers(method: "PUT", url: url))
                        let time = try #require(reply.header("x-ms-snapshot"), "Snapshot Blob: \(reply.status)")
                        let bounds = ConcurrentWriteModel.SnapshotBounds(
                            acknowledgedBefore: before,
                            startedAfter: model.startedCounts()
                        )
                        // What a backup reading the snapshot right away sees, while the writers go on.
                        taken.append((time, bounds, try await readSnapshot(time)))
                    }
                    return taken
                }
                var all: [(String, ConcurrentWriteModel.SnapshotBounds, [UInt8])] = []
                for try await part in group { all += part }
                return all
            }

            #expect(snapshots.count == snapshotCount)
            for (index, (time, _, content)) in snapshots.enumerated() {
                #expect(try await readSnapshot(time) == content, "snapshot \(index) changed after it was taken")
            }
            let held = try await model.verify(snapshots.map(\.1)) { index, region in
                Array(snapshots[index].2[Int(region.lowerBound)..<Int(region.upperBound)])
            }
            #expect(held.last?.reduce(0, +) ?? 0 > 0, "the writers wrote nothing before the last snapshot")
            var previous: (time: String?, held: [Int]) = (nil, Array(repeating: 0, count: model.writers))
            for (index, (time, _, _)) in snapshots.enumerated() {
                var url = "\(blob)?comp=pagelist&snapshot=\(Self.encode(time))"
                if let older = previous.time { url += "&prevsnapshot=\(Self.encode(older))" }
                let reply = try await cloud.send(.GET, url, headers: signer.headers(method: "GET", url: url))
                try #require(reply.status == 200, "Get Page Ranges: \(reply.status) \(reply.text)")
                #expect(!reply.text.contains("<ClearRange>"))
                let expected = model.pagesWritten(after: previous.held, upTo: held[index])
                #expect(Self.pageRanges(reply.text) == expected.ranges, "page ranges into snapshot \(index)")
                previous = (time, held[index])
            }
        }
    }

    @Test func slowWriteRuleDelaysPutPageAndThenStops() async throws {
        try await TestCloud.with { cloud in
            let key = try await cloud.makeAccount("slowpage")
            let signer = SharedKeySigner(account: "slowpage", key: key)
            let base = "\(cloud.endpoints.authorityHost)/slowpage"
            let containerURL = "\(base)/disks?restype=container"
            _ = try await cloud.send(.PUT, containerURL, headers: signer.headers(method: "PUT", url: containerURL))
            let blob = "\(base)/disks/slow.vhd"
            let created = try await cloud.send(
                .PUT,
                blob,
                headers: signer.headers(
                    method: "PUT",
                    url: blob,
                    headers: [("x-ms-blob-type", "PageBlob"), ("x-ms-blob-content-length", "4096")]
                )
            )
            try #require(created.status == 201)
            var slow = FaultRule(kind: .slowWrite, service: "blob", operation: "PutPage")
            slow.latencyMs = 300
            slow.remaining = 1
            try await cloud.cloud.services.faults.replace(FaultRules(rules: [slow]))
            let url = "\(blob)?comp=page"
            let page = [UInt8](repeating: 7, count: 512)
            let headers = [("x-ms-page-write", "update"), ("x-ms-range", "bytes=0-511")]
            let clock = ContinuousClock()
            let start = clock.now
            let reply = try await cloud.send(
                .PUT,
                url,
                headers: signer.headers(method: "PUT", url: url, headers: headers, contentLength: page.count),
                body: page
            )
            #expect(reply.status == 201)
            #expect(clock.now - start >= .milliseconds(300), "the page data was written 300 ms slower")
            #expect(cloud.cloud.services.faults.rules.rules.first?.remaining == 0)
            let read = try await cloud.send(.GET, blob, headers: signer.headers(method: "GET", url: blob))
            #expect(Array(read.body.prefix(512)) == page, "the slow write was applied")
        }
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// The `PageRange` elements of a Get Page Ranges answer, as half-open byte ranges.
    private static func pageRanges(_ xml: String) -> [Range<Int64>] {
        var ranges: [Range<Int64>] = []
        for piece in xml.components(separatedBy: "<PageRange>").dropFirst() {
            guard let startText = piece.between("<Start>", "</Start>"), let start = Int64(startText),
                let endText = piece.between("<End>", "</End>"), let end = Int64(endText)
            else { continue }
            ranges.append(start..<(end + 1))
        }
        return ranges
    }
}

extension String {
    fileprivate func between(_ open: String, _ close: String) -> String? {
        guard let start = range(of: open), let end = range(of: close, range: start.upperBound..<endIndex) else {
            return nil
        }
        return String(self[start.upperBound..<end.lowerBound])
    }
}
