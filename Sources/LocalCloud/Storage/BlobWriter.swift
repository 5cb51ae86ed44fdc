import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Write operations on one blob: Put Blob, Put Block, Put Block List, Put Page, Snapshot Blob, Set Blob Tier,
/// Set Blob Metadata / Properties / Tags and Delete Blob.
struct BlobWriter: Sendable {
    let request: StorageRequest
    let store: BlobStore
    let container: String

    private var name: String { request.blobName ?? "" }

    /// The largest single Put Blob / Put Block body accepted (Azure allows more; a local emulator needs no more).
    static let maximumUpload: Int64 = 5000 * 1024 * 1024

    private func requireContainer() throws {
        guard store.container(container) != nil else { throw BlobStore.containerNotFound }
    }

    func putBlob() async throws -> Response {
        try requireContainer()
        let existing = store.blob(container, name)
        try BlobConditions.checkWrite(request, etag: existing?.etag, lastModified: existing?.lastModified)
        guard let typeText = request.header("x-ms-blob-type") else {
            throw StorageError.missingHeader("x-ms-blob-type")
        }
        guard let kind = BlobRecord.Kind(rawValue: typeText) else {
            throw StorageError.invalidHeader("x-ms-blob-type", typeText)
        }
        let expectedMD5 = try Self.requestMD5(request)
        let now = Date()
        var record = BlobRecord(
            name: name,
            kind: kind,
            contentLength: 0,
            contentType: request.header("x-ms-blob-content-type") ?? request.header("content-type"),
            contentEncoding: request.header("x-ms-blob-content-encoding") ?? request.header("content-encoding"),
            contentLanguage: request.header("x-ms-blob-content-language") ?? request.header("content-language"),
            contentDisposition: request.header("x-ms-blob-content-disposition"),
            cacheControl: request.header("x-ms-blob-cache-control"),
            contentMD5: request.header("x-ms-blob-content-md5"),
            metadata: BlobService.metadata(request),
            tags: Self.parseTagHeader(request.header("x-ms-tags")),
            etag: BlobRecord.newETag(),
            created: existing?.created ?? now,
            lastModified: now
        )
        var responseMD5: String?
        switch kind {
        case .block, .append:
            if kind == .block, let tier = request.header("x-ms-access-tier") {
                record.accessTier = try Self.validTier(tier)
            }
            let file = store.newDataFile()
            let url = store.dataURL(file)
            let received: (length: Int64, md5: Data)
            do {
                received = try await DataStreams.receive(request.request.body, to: url, limit: Self.maximumUpload)
            } catch {
                try? FileManager.default.removeItem(at: url)
                throw error
            }
            if let expectedMD5, expectedMD5 != received.md5 {
                try? FileManager.default.removeItem(at: url)
                throw StorageError.md5Mismatch(
                    expected: expectedMD5.base64EncodedString(),
                    actual: received.md5.base64EncodedString()
                )
            }
            record.contentLength = received.length
            record.dataFile = file
            if kind == .block {
                responseMD5 = received.md5.base64EncodedString()
                if record.contentMD5 == nil { record.contentMD5 = responseMD5 }
            }
        case .page:
            guard let sizeText = request.header("x-ms-blob-content-length") else {
                throw StorageError.missingHeader("x-ms-blob-content-length")
            }
            guard let size = Int64(sizeText), size >= 0, size % PageStore.pageSize == 0,
                size <= 8 * 1024 * 1024 * 1024 * 1024
            else {
                throw StorageError.invalidHeader("x-ms-blob-content-length", sizeText)
            }
            record.contentLength = size
            record.sequenceNumber = request.header("x-ms-blob-sequence-number").flatMap(Int64.init) ?? 0
            record.pageVolume = try await FileIO.run { try store.pages.createVolume(size: size).rawValue }
        }
        try await FileIO.run { [record, request] in
            try store.put(container, record) { current in
                try BlobConditions.checkWrite(request, etag: current?.etag, lastModified: current?.lastModified)
            }
        }
        var response = BlobService.headers(.created, etag: record.etag, lastModified: record.lastModified)
        if let responseMD5 { response.headers.set("Content-MD5", responseMD5) }
        response.headers.set("x-ms-request-server-encrypted", "true")
        return response
    }

    func putBlock() async throws -> Response {
        try requireContainer()
        guard let blockID = request.query("blockid"), let decoded = Data(base64Encoded: blockID), decoded.count <= 64
        else {
            throw StorageError(
                .badRequest,
                "InvalidQueryParameterValue",
                "Value for one of the query parameters specified in the request URI is invalid.",
                details: [("QueryParameterName", "blockid"), ("QueryParameterValue", request.query("blockid") ?? "")]
            )
        }
        let expectedMD5 = try Self.requestMD5(request)
        let url = store.blockURL(container, name, blockID: blockID)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).tmp")
        let received: (length: Int64, md5: Data)
        do {
            received = try await DataStreams.receive(request.request.body, to: temporary, limit: 4000 * 1024 * 1024)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        if let expectedMD5, expectedMD5 != received.md5 {
            try? FileManager.default.removeItem(at: temporary)
            throw StorageError.md5Mismatch(
                expected: expectedMD5.base64EncodedString(),
                actual: received.md5.base64EncodedString()
            )
        }
        try await FileIO.run {
            guard rename(temporary.path, url.path) == 0 else {
                throw LocalCloudError(.io, "Could not store block \(blockID) at \(url.path) (errno \(errno)).")
            }
        }
        var response = Response(status: .created, headers: [.contentLength: "0"])
        response.headers.set("Content-MD5", received.md5.base64EncodedString())
        response.headers.set("x-ms-request-server-encrypted", "true")
        return response
    }

    func putBlockList() async throws -> Response {
        try requireContainer()
        let existing = store.blob(container, name)
        try BlobConditions.checkWrite(request, etag: existing?.etag, lastModified: existing?.lastModified)
        let body = try await request.request.collectBody(limit: 8 * 1024 * 1024)
        return try await FileIO.run { try commitBlockList(body, existing: existing) }
    }

    /// Put Block List once the body is in: assembles the blob's data file from its blocks (blocking file I/O).
    private func commitBlockList(_ body: ByteBuffer, existing: BlobRecord?) throws -> Response {
        if let expected = try Self.requestMD5(request),
            expected != Data(Insecure.MD5.hash(data: Data(body.readableBytesView)))
        {
            throw StorageError.md5Mismatch(
                expected: expected.base64EncodedString(),
                actual: Data(Insecure.MD5.hash(data: Data(body.readableBytesView))).base64EncodedString()
            )
        }
        let entries = try BlockListParser.parse(Data(body.readableBytesView))
        guard entries.count <= 50_000 else {
            throw StorageError(
                .conflict,
                "BlockCountExceedsLimit",
                "The committed block count cannot exceed the maximum limit of 50,000 blocks."
            )
        }
        // Resolve each entry to a file (uncommitted block) or a range of the committed data.
        let committed = existing?.committedBlocks ?? []
        var committedOffsets: [String: (offset: Int64, size: Int64)] = [:]
        var offset: Int64 = 0
        for block in committed {
            committedOffsets[block.id] = (offset, block.size)
            offset += block.size
        }
        enum Source {
            case uncommitted(URL, Int64)
            case committed(Int64, Int64)
        }
        var sources: [(String, Source)] = []
        for entry in entries {
            let url = store.blockURL(container, name, blockID: entry.id)
            let uncommittedSize = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int64) ?? nil
            let useUncommitted = entry.list != .committed && uncommittedSize != nil
            if useUncommitted, let size = uncommittedSize {
                sources.append((entry.id, .uncommitted(url, size)))
            } else if entry.list != .uncommitted, let range = committedOffsets[entry.id] {
                sources.append((entry.id, .committed(range.offset, range.size)))
            } else {
                throw StorageError(.badRequest, "InvalidBlockList", "The specified block list is invalid.")
            }
        }
        let file = store.newDataFile()
        let url = store.dataURL(file)
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let output = try FileHandle(forWritingTo: url)
        var blocks: [BlobRecord.Block] = []
        do {
            for (id, source) in sources {
                switch source {
                case .uncommitted(let blockURL, let size):
                    try Self.copy(from: blockURL.path, range: 0..<size, to: output)
                    blocks.append(.init(id: id, size: size))
                case .committed(let start, let size):
                    if let previous = existing?.dataFile {
                        try Self.copy(from: store.dataURL(previous).path, range: start..<(start + size), to: output)
                    }
                    blocks.append(.init(id: id, size: size))
                }
            }
            try output.close()
        } catch {
            try? output.close()
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        let now = Date()
        var record = BlobRecord(
            name: name,
            kind: .block,
            contentLength: blocks.reduce(0) { $0 + $1.size },
            contentType: request.header("x-ms-blob-content-type"),
            contentEncoding: request.header("x-ms-blob-content-encoding"),
            contentLanguage: request.header("x-ms-blob-content-language"),
            contentDisposition: request.header("x-ms-blob-content-disposition"),
            cacheControl: request.header("x-ms-blob-cache-control"),
            contentMD5: request.header("x-ms-blob-content-md5"),
            metadata: BlobService.metadata(request),
            tags: Self.parseTagHeader(request.header("x-ms-tags")),
            etag: BlobRecord.newETag(),
            created: existing?.created ?? now,
            lastModified: now
        )
        if let tier = request.header("x-ms-access-tier") { record.accessTier = try Self.validTier(tier) }
        record.dataFile = file
        record.committedBlocks = blocks
        try store.put(container, record) { current in
            try BlobConditions.checkWrite(request, etag: current?.etag, lastModified: current?.lastModified)
        }
        try? FileManager.default.removeItem(at: store.blockFolder(container, name))
        var response = BlobService.headers(.created, etag: record.etag, lastModified: record.lastModified)
        response.headers.set("x-ms-request-server-encrypted", "true")
        return response
    }

    func putPage() async throws -> Response {
        try requireContainer()
        guard let blob = store.blob(container, name) else { throw BlobStore.blobNotFound }
        guard blob.kind == .page, let volume = blob.pageVolume else {
            throw StorageError(.conflict, "InvalidBlobType", "The blob type is invalid for this operation.")
        }
        try BlobConditions.checkWrite(request, etag: blob.etag, lastModified: blob.lastModified)
        try Self.checkSequenceConditions(request, blob.sequenceNumber)
        guard let write = request.header("x-ms-page-write")?.lowercased() else {
            throw StorageError.missingHeader("x-ms-page-write")
        }
        guard let rangeText = request.header("x-ms-range") ?? request.header("range") else {
            throw StorageError.missingHeader("x-ms-range")
        }
        guard let (start, endInclusive) = ByteRange.bounds(rangeText), let endInclusive else {
            throw StorageError.invalidHeader("x-ms-range", rangeText)
        }
        let end = endInclusive + 1
        guard start % PageStore.pageSize == 0, end % PageStore.pageSize == 0 else {
            throw StorageError(.rangeNotSatisfiable, "InvalidPageRange", "The page range specified is invalid.")
        }
        guard end <= blob.contentLength else {
            throw StorageError(.rangeNotSatisfiable, "InvalidPageRange", "The page range specified is invalid.")
        }
        let pageVolume = PageStore.VolumeID(volume)
        var responseMD5: String?
        switch write {
        case "update":
            guard end - start <= 4 * 1024 * 1024 else {
                throw StorageError.bodyTooLarge(limit: 4 * 1024 * 1024)
            }
            let expectedMD5 = try Self.requestMD5(request)
            let body = try await request.request.collectBody(limit: Int(end - start) + 1)
            guard body.readableBytes == Int(end - start) else {
                throw StorageError(
                    .badRequest,
                    "InvalidHeaderValue",
                    "The value for one of the HTTP headers is not in the correct format.",
                    details: [("HeaderName", "Content-Length"), ("HeaderValue", String(body.readableBytes))]
                )
            }
            let md5 = body.withUnsafeReadableBytes { Data(Insecure.MD5.hash(data: $0)) }
            if let expectedMD5, expectedMD5 != md5 {
                throw StorageError.md5Mismatch(
                    expected: expectedMD5.base64EncodedString(),
                    actual: md5.base64EncodedString()
                )
            }
            let latency = request.pageWriteLatency
            try await FileIO.run {
                try body.withUnsafeReadableBytes {
                    try store.pages.write(pageVolume, offset: start, bytes: $0, dataLatency: latency)
                }
            }
            responseMD5 = md5.base64EncodedString()
        case "clear":
            if request.header("content-md5") != nil {
                throw StorageError(.badRequest, "InvalidHeaderValue", "Content-MD5 is not allowed when clearing pages.")
            }
            try await FileIO.run { try store.pages.clear(pageVolume, offset: start, length: end - start) }
        default:
            throw StorageError.invalidHeader("x-ms-page-write", write)
        }
        let updated = try await FileIO.run {
            try store.update(container, name) { record -> BlobRecord in
                record.etag = BlobRecord.newETag()
                record.lastModified = Date()
                record.contentMD5 = nil
                return record
            }
        }
        var response = BlobService.headers(.created, etag: updated.etag, lastModified: updated.lastModified)
        if let responseMD5 { response.headers.set("Content-MD5", responseMD5) }
        response.headers.set("x-ms-blob-sequence-number", String(updated.sequenceNumber))
        response.headers.set("x-ms-request-server-encrypted", "true")
        return response
    }

    func snapshot() throws -> Response {
        try requireContainer()
        guard let current = store.blob(container, name) else { throw BlobStore.blobNotFound }
        try BlobConditions.checkWrite(request, etag: current.etag, lastModified: current.lastModified)
        let metadata = BlobService.metadata(request)
        // A page blob's pages are frozen first, outside the account's lock (the page store persists the snapshot
        // and waits for Put Page calls already under way); the blob record then refers to the frozen pages.
        var pageSnapshot: PageStore.SnapshotID?
        if current.kind == .page, let volume = current.pageVolume {
            pageSnapshot = try store.pages.snapshot(PageStore.VolumeID(volume))
        }
        let snapshot: BlobRecord
        do {
            snapshot = try store.update(container, name) { blob -> BlobRecord in
                guard blob.kind == current.kind, blob.pageVolume == current.pageVolume else {
                    throw StorageError(
                        .conflict,
                        "ConcurrentBlobReplace",
                        "The blob was replaced while its snapshot was taken; take the snapshot again."
                    )
                }
                var time = HTTPDate.iso8601(Date())
                while blob.snapshots.contains(where: { $0.snapshotTime == time }) {
                    time = HTTPDate.iso8601(Date().addingTimeInterval(0.0000001))
                }
                var snapshot = blob
                snapshot.snapshots = []
                snapshot.snapshotTime = time
                if !metadata.isEmpty { snapshot.metadata = metadata }
                if let pageSnapshot {
                    snapshot.pageSnapshot = pageSnapshot.rawValue
                    snapshot.pageVolume = nil
                }
                blob.snapshots.append(snapshot)
                return snapshot
            }
        } catch {
            if let pageSnapshot { try? store.pages.deleteSnapshot(pageSnapshot) }
            throw error
        }
        var response = BlobService.headers(.created, etag: snapshot.etag, lastModified: snapshot.lastModified)
        response.headers.set("x-ms-snapshot", snapshot.snapshotTime ?? "")
        response.headers.set("x-ms-request-server-encrypted", "true")
        return response
    }

    func setTier() throws -> Response {
        try requireContainer()
        guard let tierText = request.header("x-ms-access-tier") else {
            throw StorageError.missingHeader("x-ms-access-tier")
        }
        let tier = try Self.validTier(tierText)
        let status = try store.update(container, name) { blob -> HTTPResponse.Status in
            guard blob.kind == .block else {
                throw StorageError(.badRequest, "InvalidBlobType", "The blob type is invalid for this operation.")
            }
            let now = Date()
            if blob.isArchived && tier != "Archive" {
                if blob.archiveStatus != nil { return .accepted }
                blob.archiveStatus = "rehydrate-pending-to-\(tier.lowercased())"
                blob.rehydrateTarget = tier
                blob.rehydrateAt = now.addingTimeInterval(StorageRequest.rehydrationSeconds)
                return .accepted
            }
            blob.accessTier = tier
            blob.tierChanged = now
            blob.archiveStatus = nil
            blob.rehydrateAt = nil
            return .ok
        }
        return Response(status: status, headers: [.contentLength: "0"])
    }

    func setMetadata() throws -> Response {
        try requireContainer()
        let metadata = BlobService.metadata(request)
        let blob = try store.update(container, name) { blob -> BlobRecord in
            try BlobConditions.checkWrite(request, etag: blob.etag, lastModified: blob.lastModified)
            blob.metadata = metadata
            blob.etag = BlobRecord.newETag()
            blob.lastModified = Date()
            return blob
        }
        return BlobService.headers(.ok, etag: blob.etag, lastModified: blob.lastModified)
    }

    func setProperties() throws -> Response {
        try requireContainer()
        let blob = try store.update(container, name) { blob -> BlobRecord in
            try BlobConditions.checkWrite(request, etag: blob.etag, lastModified: blob.lastModified)
            blob.contentType = request.header("x-ms-blob-content-type")
            blob.contentEncoding = request.header("x-ms-blob-content-encoding")
            blob.contentLanguage = request.header("x-ms-blob-content-language")
            blob.contentDisposition = request.header("x-ms-blob-content-disposition")
            blob.cacheControl = request.header("x-ms-blob-cache-control")
            if let md5 = request.header("x-ms-blob-content-md5") { blob.contentMD5 = md5 }
            if blob.kind == .page, let sizeText = request.header("x-ms-blob-content-length") {
                guard let size = Int64(sizeText), size >= 0, size % PageStore.pageSize == 0,
                    let volume = blob.pageVolume
                else {
                    throw StorageError.invalidHeader("x-ms-blob-content-length", sizeText)
                }
                try store.pages.resize(PageStore.VolumeID(volume), to: size)
                blob.contentLength = size
            }
            if blob.kind == .page, let action = request.header("x-ms-sequence-number-action") {
                let value = request.header("x-ms-blob-sequence-number").flatMap(Int64.init) ?? 0
                switch action.lowercased() {
                case "max": blob.sequenceNumber = max(blob.sequenceNumber, value)
                case "update": blob.sequenceNumber = value
                case "increment": blob.sequenceNumber += 1
                default: throw StorageError.invalidHeader("x-ms-sequence-number-action", action)
                }
            }
            blob.etag = BlobRecord.newETag()
            blob.lastModified = Date()
            return blob
        }
        var response = BlobService.headers(.ok, etag: blob.etag, lastModified: blob.lastModified)
        if blob.kind == .page { response.headers.set("x-ms-blob-sequence-number", String(blob.sequenceNumber)) }
        return response
    }

    func setTags() async throws -> Response {
        try requireContainer()
        let body = try await request.request.collectBody(limit: 64 * 1024)
        let tags = TagSetParser.parse(Data(body.readableBytesView))
        guard tags.count <= 10 else {
            throw StorageError(.badRequest, "InvalidTag", "The tags specified are invalid: at most 10 tags per blob.")
        }
        try await FileIO.run { try store.update(container, name) { $0.tags = tags } }
        return Response(status: .noContent)
    }

    func delete() throws -> Response {
        try requireContainer()
        guard let blob = store.blob(container, name) else { throw BlobStore.blobNotFound }
        if let snapshotTime = request.query("snapshot") {
            let removed = try store.update(container, name) { blob -> BlobRecord? in
                guard let index = blob.snapshots.firstIndex(where: { $0.snapshotTime == snapshotTime }) else {
                    return nil
                }
                return blob.snapshots.remove(at: index)
            }
            guard let removed else { throw BlobStore.blobNotFound }
            if let current = store.blob(container, name) { store.releaseSnapshotData(removed, current: current) }
            return Response(status: .accepted, headers: [.contentLength: "0"])
        }
        try BlobConditions.checkWrite(request, etag: blob.etag, lastModified: blob.lastModified)
        switch request.header("x-ms-delete-snapshots")?.lowercased() {
        case "only":
            let removed = try store.update(container, name) { blob -> [BlobRecord] in
                let removed = blob.snapshots
                blob.snapshots = []
                return removed
            }
            if let current = store.blob(container, name) {
                for snapshot in removed { store.releaseSnapshotData(snapshot, current: current) }
            }
        case "include":
            try store.delete(container, name)
        case nil:
            guard blob.snapshots.isEmpty else {
                throw StorageError(
                    .conflict,
                    "SnapshotsPresent",
                    "This operation is not permitted because the blob has snapshots."
                )
            }
            try store.delete(container, name)
        case let other?:
            throw StorageError.invalidHeader("x-ms-delete-snapshots", other)
        }
        return Response(status: .accepted, headers: [.contentLength: "0"])
    }

    // MARK: Helpers

    static func requestMD5(_ request: StorageRequest) throws -> Data? {
        guard let text = request.header("content-md5") else { return nil }
        guard let data = Data(base64Encoded: text), data.count == 16 else { throw StorageError.invalidMD5 }
        return data
    }

    static func validTier(_ text: String) throws -> String {
        let tiers = ["Hot", "Cool", "Cold", "Archive"]
        guard let tier = tiers.first(where: { $0.lowercased() == text.lowercased() }) else {
            throw StorageError.invalidHeader("x-ms-access-tier", text)
        }
        return tier
    }

    static func parseTagHeader(_ text: String?) -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var tags: [String: String] = [:]
        for pair in RequestParts(path: "/", query: text).query { tags[pair.name] = pair.value }
        return tags
    }

    private static func checkSequenceConditions(_ request: StorageRequest, _ current: Int64) throws {
        let failed = StorageError(
            .preconditionFailed,
            "SequenceNumberConditionNotMet",
            "The sequence number condition specified was not met."
        )
        if let text = request.header("x-ms-if-sequence-number-le"), let value = Int64(text), !(current <= value) {
            throw failed
        }
        if let text = request.header("x-ms-if-sequence-number-lt"), let value = Int64(text), !(current < value) {
            throw failed
        }
        if let text = request.header("x-ms-if-sequence-number-eq"), let value = Int64(text), current != value {
            throw failed
        }
    }

    private static func copy(from path: String, range: Range<Int64>, to output: FileHandle) throws {
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw LocalCloudError(.io, "Could not open the block file \(path).")
        }
        defer { try? input.close() }
        try input.seek(toOffset: UInt64(range.lowerBound))
        var remaining = range.count
        while remaining > 0 {
            let chunk = try input.read(upToCount: min(remaining, DataStreams.chunkSize)) ?? Data()
            guard !chunk.isEmpty else { break }
            try output.write(contentsOf: chunk)
            remaining -= chunk.count
        }
    }
}
