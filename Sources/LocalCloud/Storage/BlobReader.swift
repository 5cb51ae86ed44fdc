import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Read operations on one blob: Get Blob (whole or ranged), Get Blob Properties, Get Page Ranges (and diffs),
/// Get Block List and Get Blob Tags.
struct BlobReader: Sendable {
    let request: StorageRequest
    let store: BlobStore
    let container: String

    private var name: String { request.blobName ?? "" }

    /// The blob, or the snapshot named by `snapshot=`.
    func target() throws -> BlobRecord {
        guard store.container(container) != nil else { throw BlobStore.containerNotFound }
        guard let blob = store.blob(container, name) else { throw BlobStore.blobNotFound }
        guard let snapshot = request.query("snapshot") else { return blob }
        guard let found = blob.snapshots.first(where: { $0.snapshotTime == snapshot }) else {
            throw BlobStore.blobNotFound
        }
        return found
    }

    func get(headOnly: Bool) throws -> Response {
        let blob = try target()
        if try BlobConditions.checkRead(request, etag: blob.etag, lastModified: blob.lastModified) == .notModified {
            var response = Response(status: .notModified)
            response.headers[.eTag] = "\"\(blob.etag)\""
            response.headers[.lastModified] = HTTPDate.rfc1123(blob.lastModified)
            return response
        }
        var headers = properties(blob)
        if headOnly {
            headers[.contentLength] = String(blob.contentLength)
            if let md5 = blob.contentMD5 { headers.set("Content-MD5", md5) }
            return Response(status: .ok, headers: headers)
        }
        if blob.isArchived {
            throw StorageError(.conflict, "BlobArchived", "This operation is not permitted on an archived blob.")
        }
        let range = try ByteRange.parse(request, size: blob.contentLength)
        let window = range ?? 0..<blob.contentLength
        let wantsRangeMD5 = request.header("x-ms-range-get-content-md5")?.lowercased() == "true"
        if wantsRangeMD5 {
            guard range != nil, window.count <= 4 * 1024 * 1024 else {
                throw StorageError(
                    .badRequest,
                    "OutOfRangeInput",
                    "The specified range is invalid: x-ms-range-get-content-md5 needs a range of at most 4 MiB."
                )
            }
        }
        headers[.contentLength] = String(window.count)
        var status = HTTPResponse.Status.ok
        if range != nil {
            status = .partialContent
            headers[.contentRange] = "bytes \(window.lowerBound)-\(window.upperBound - 1)/\(blob.contentLength)"
            if let md5 = blob.contentMD5 { headers.set("x-ms-blob-content-md5", md5) }
        } else if let md5 = blob.contentMD5 {
            headers.set("Content-MD5", md5)
        }
        let body: ResponseBody
        switch blob.kind {
        case .block, .append:
            guard let file = blob.dataFile else {
                body = ResponseBody()
                break
            }
            let path = store.dataURL(file).path
            if wantsRangeMD5 {
                let bytes = try DataStreams.readAll(path, range: window)
                headers.set("Content-MD5", Data(Insecure.MD5.hash(data: bytes)).base64EncodedString())
                body = .init(byteBuffer: ByteBuffer(bytes: bytes))
            } else {
                body = DataStreams.file(path, range: window)
            }
        case .page:
            let version = try pageVersion(blob)
            if wantsRangeMD5 {
                let bytes = try store.pages.read(version, range: window)
                headers.set("Content-MD5", Data(Insecure.MD5.hash(data: bytes)).base64EncodedString())
                body = .init(byteBuffer: ByteBuffer(bytes: bytes))
            } else {
                let segments = try store.pages.segments(of: version, in: window)
                body = DataStreams.pages(store.pages, segments: segments, length: Int64(window.count))
            }
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// The page-store version of a page blob or page blob snapshot.
    func pageVersion(_ blob: BlobRecord) throws -> PageStore.Version {
        if let snapshot = blob.pageSnapshot { return .snapshot(PageStore.SnapshotID(snapshot)) }
        if let volume = blob.pageVolume { return .volume(PageStore.VolumeID(volume)) }
        throw StorageError(.conflict, "InvalidBlobType", "The blob type is invalid for this operation.")
    }

    func pageRanges() throws -> Response {
        let blob = try target()
        guard blob.kind == .page else {
            throw StorageError(.conflict, "InvalidBlobType", "The blob type is invalid for this operation.")
        }
        let version = try pageVersion(blob)
        var window = 0..<blob.contentLength
        if let text = request.header("x-ms-range") ?? request.header("range") {
            guard let (start, end) = ByteRange.bounds(text) else {
                throw StorageError.invalidHeader("x-ms-range", text)
            }
            guard start < blob.contentLength || (start == 0 && blob.contentLength == 0) else {
                throw StorageError(
                    .rangeNotSatisfiable,
                    "InvalidRange",
                    "The range specified is invalid for the current size of the resource."
                )
            }
            window = start..<min(blob.contentLength, (end ?? blob.contentLength - 1) + 1)
        }
        if let markerText = request.query("marker"), !markerText.isEmpty {
            guard let marker = Int64(markerText), marker >= window.lowerBound else {
                throw StorageError(.badRequest, "InvalidMarker", "The specified marker is invalid.")
            }
            window = min(marker, window.upperBound)..<window.upperBound
        }
        var maximum = 10_000
        if let text = request.query("maxresults") {
            guard let value = Int(text), value > 0 else {
                throw StorageError.outOfRange("maxresults", text, minimum: 1, maximum: 10_000)
            }
            maximum = min(value, 10_000)
        }
        var entries: [PageStore.DiffRange]
        if let previous = try previousVersion(of: blob) {
            do {
                entries = try store.pages.diff(from: previous, to: version, in: window)
            } catch {
                throw StorageError(
                    .conflict,
                    "PreviousSnapshotOperationNotSupported",
                    "Differential Get Page Ranges is not supported on the previous snapshot."
                )
            }
        } else {
            entries = try store.pages.validRanges(of: version, in: window).map {
                PageStore.DiffRange(range: $0, cleared: false)
            }
        }
        var nextMarker: String?
        if entries.count > maximum {
            nextMarker = String(entries[maximum].range.lowerBound)
            entries = Array(entries.prefix(maximum))
        }
        var xml = XMLWriter()
        xml.open("PageList")
        for entry in entries {
            let tag = entry.cleared ? "ClearRange" : "PageRange"
            xml.open(tag)
            xml.element("Start", String(entry.range.lowerBound))
            xml.element("End", String(entry.range.upperBound - 1))
            xml.close(tag)
        }
        if request.query("marker") != nil || request.query("maxresults") != nil || nextMarker != nil {
            xml.element("NextMarker", nextMarker ?? "")
        }
        xml.close("PageList")
        let body = xml.document()
        var headers = HTTPFields()
        headers[.contentType] = "application/xml"
        headers[.contentLength] = String(body.readableBytes)
        headers[.eTag] = "\"\(blob.etag)\""
        headers[.lastModified] = HTTPDate.rfc1123(blob.lastModified)
        headers.set("x-ms-blob-content-length", String(blob.contentLength))
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// The version named by `prevsnapshot=` or `x-ms-previous-snapshot-url`, if any.
    private func previousVersion(of target: BlobRecord) throws -> PageStore.Version? {
        var previousTime = request.query("prevsnapshot")
        if previousTime == nil, let url = request.header("x-ms-previous-snapshot-url") {
            let query = url.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init)
            previousTime = RequestParts(path: "/", query: query).value("snapshot")
            if previousTime == nil {
                throw StorageError(.conflict, "PreviousSnapshotNotFound", "The previous snapshot is not found.")
            }
        }
        guard let previousTime else { return nil }
        guard let blob = store.blob(container, name),
            let previous = blob.snapshots.first(where: { $0.snapshotTime == previousTime }),
            let snapshot = previous.pageSnapshot
        else {
            throw StorageError(.conflict, "PreviousSnapshotNotFound", "The previous snapshot is not found.")
        }
        if let targetTime = target.snapshotTime, targetTime < previousTime {
            throw StorageError(
                .badRequest,
                "PreviousSnapshotCannotBeNewer",
                "The prevsnapshot query parameter value cannot be newer than snapshot query parameter value."
            )
        }
        return .snapshot(PageStore.SnapshotID(snapshot))
    }

    func blockList() throws -> Response {
        let blob = try target()
        let listType = (request.query("blocklisttype") ?? "committed").lowercased()
        var xml = XMLWriter()
        xml.open("BlockList")
        if listType == "committed" || listType == "all" {
            xml.open("CommittedBlocks")
            for block in blob.committedBlocks {
                xml.open("Block")
                xml.element("Name", block.id)
                xml.element("Size", String(block.size))
                xml.close("Block")
            }
            xml.close("CommittedBlocks")
        }
        if listType == "uncommitted" || listType == "all" {
            xml.open("UncommittedBlocks")
            xml.close("UncommittedBlocks")
        }
        xml.close("BlockList")
        var response = BlobListing.document(xml)
        response.headers[.eTag] = "\"\(blob.etag)\""
        response.headers[.lastModified] = HTTPDate.rfc1123(blob.lastModified)
        response.headers.set("x-ms-blob-content-length", String(blob.contentLength))
        return response
    }

    func tags() throws -> Response {
        let blob = try target()
        var xml = XMLWriter()
        xml.open("Tags")
        xml.open("TagSet")
        for key in blob.tags.keys.sorted() {
            xml.open("Tag")
            xml.element("Key", key)
            xml.element("Value", blob.tags[key] ?? "")
            xml.close("Tag")
        }
        xml.close("TagSet")
        xml.close("Tags")
        return BlobListing.document(xml)
    }

    /// The property headers shared by Get Blob and Get Blob Properties.
    func properties(_ blob: BlobRecord) -> HTTPFields {
        var headers = HTTPFields()
        headers[.eTag] = "\"\(blob.etag)\""
        headers[.lastModified] = HTTPDate.rfc1123(blob.lastModified)
        headers[.contentType] = blob.contentType ?? "application/octet-stream"
        headers[.acceptRanges] = "bytes"
        if let value = blob.contentEncoding { headers[.contentEncoding] = value }
        if let value = blob.contentLanguage { headers[.contentLanguage] = value }
        if let value = blob.contentDisposition { headers[.contentDisposition] = value }
        if let value = blob.cacheControl { headers[.cacheControl] = value }
        headers.set("x-ms-blob-type", blob.kind.rawValue)
        headers.set("x-ms-creation-time", HTTPDate.rfc1123(blob.created))
        headers.set("x-ms-lease-status", "unlocked")
        headers.set("x-ms-lease-state", "available")
        headers.set("x-ms-server-encrypted", "true")
        if blob.kind == .page { headers.set("x-ms-blob-sequence-number", String(blob.sequenceNumber)) }
        if blob.kind == .block {
            headers.set("x-ms-access-tier", blob.accessTier ?? "Hot")
            if blob.accessTier == nil { headers.set("x-ms-access-tier-inferred", "true") }
            if let status = blob.archiveStatus { headers.set("x-ms-archive-status", status) }
            if let changed = blob.tierChanged { headers.set("x-ms-access-tier-change-time", HTTPDate.rfc1123(changed)) }
        }
        if !blob.tags.isEmpty { headers.set("x-ms-tag-count", String(blob.tags.count)) }
        if let snapshot = blob.snapshotTime { headers.set("x-ms-snapshot", snapshot) }
        for (key, value) in blob.metadata { headers.set("x-ms-meta-\(key)", value) }
        return headers
    }
}
