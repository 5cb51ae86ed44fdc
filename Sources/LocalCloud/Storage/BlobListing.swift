import Foundation
import Hummingbird

/// List Containers and List Blobs: Azure's XML shapes with prefix, delimiter, marker and `maxresults` paging.
enum BlobListing {
    static func containers(_ request: StorageRequest, store: BlobStore) -> Response {
        let prefix = request.query("prefix") ?? ""
        let marker = request.query("marker") ?? ""
        let maximum = max(1, min(5000, request.query("maxresults").flatMap(Int.init) ?? 5000))
        let include = Set((request.query("include") ?? "").split(separator: ",").map { $0.lowercased() })
        let all = store.containers().filter { $0.name.hasPrefix(prefix) && $0.name >= marker }
        let page = all.prefix(maximum)
        var xml = XMLWriter()
        xml.open("EnumerationResults", attributes: [("ServiceEndpoint", endpoint(request))])
        if request.query("prefix") != nil { xml.element("Prefix", prefix) }
        if request.query("marker") != nil { xml.element("Marker", marker) }
        if request.query("maxresults") != nil { xml.element("MaxResults", String(maximum)) }
        xml.open("Containers")
        for container in page {
            xml.open("Container")
            xml.element("Name", container.name)
            xml.open("Properties")
            xml.element("Last-Modified", HTTPDate.rfc1123(container.lastModified))
            xml.element("Etag", "\"\(container.etag)\"")
            xml.element("LeaseStatus", "unlocked")
            xml.element("LeaseState", "available")
            xml.element("HasImmutabilityPolicy", "false")
            xml.element("HasLegalHold", "false")
            xml.close("Properties")
            if include.contains("metadata") { writeMetadata(container.metadata, to: &xml) }
            xml.close("Container")
        }
        xml.close("Containers")
        xml.element("NextMarker", all.count > maximum ? all[maximum].name : "")
        xml.close("EnumerationResults")
        return document(xml)
    }

    private enum Item {
        case blob(BlobRecord)
        case prefix(String)

        var name: String {
            switch self {
            case .blob(let blob): return blob.name
            case .prefix(let prefix): return prefix
            }
        }
    }

    static func blobs(_ request: StorageRequest, container: String, store: BlobStore) throws -> Response {
        let prefix = request.query("prefix") ?? ""
        let delimiter = request.query("delimiter").flatMap { $0.isEmpty ? nil : $0 }
        let marker = request.query("marker") ?? ""
        let maximumText = request.query("maxresults")
        if let maximumText, (Int(maximumText) ?? 0) <= 0 {
            throw StorageError.outOfRange("maxresults", maximumText, minimum: 1, maximum: Int(Int32.max))
        }
        let maximum = min(5000, maximumText.flatMap(Int.init) ?? 5000)
        let include = Set((request.query("include") ?? "").split(separator: ",").map { $0.lowercased() })
        var items: [Item] = []
        var nextMarker = ""
        for blob in store.blobs(container) {
            guard blob.name.hasPrefix(prefix), !blob.name.utf8.lexicographicallyPrecedes(marker.utf8) else { continue }
            var item = Item.blob(blob)
            if let delimiter {
                let rest = blob.name.dropFirst(prefix.count)
                if let range = rest.range(of: delimiter) {
                    let folded = prefix + rest[..<range.upperBound]
                    if case .prefix(let last) = items.last, last == folded { continue }
                    item = .prefix(String(folded))
                }
            }
            if items.count == maximum {
                nextMarker = item.name
                break
            }
            items.append(item)
        }
        var xml = XMLWriter()
        xml.open(
            "EnumerationResults",
            attributes: [("ServiceEndpoint", endpoint(request)), ("ContainerName", container)]
        )
        if request.query("prefix") != nil { xml.element("Prefix", prefix) }
        if request.query("marker") != nil { xml.element("Marker", marker) }
        if maximumText != nil { xml.element("MaxResults", String(maximum)) }
        if let delimiter { xml.element("Delimiter", delimiter) }
        xml.open("Blobs")
        for item in items {
            switch item {
            case .prefix(let name):
                xml.open("BlobPrefix")
                xml.element("Name", name)
                xml.close("BlobPrefix")
            case .blob(let blob):
                if include.contains("snapshots") {
                    for snapshot in blob.snapshots { write(snapshot, include: include, to: &xml) }
                }
                write(blob, include: include, to: &xml)
            }
        }
        xml.close("Blobs")
        xml.element("NextMarker", nextMarker)
        xml.close("EnumerationResults")
        return document(xml)
    }

    private static func write(_ blob: BlobRecord, include: Set<String>, to xml: inout XMLWriter) {
        xml.open("Blob")
        xml.element("Name", blob.name)
        if let snapshot = blob.snapshotTime { xml.element("Snapshot", snapshot) }
        xml.open("Properties")
        xml.element("Creation-Time", HTTPDate.rfc1123(blob.created))
        xml.element("Last-Modified", HTTPDate.rfc1123(blob.lastModified))
        xml.element("Etag", blob.etag)
        xml.element("Content-Length", String(blob.contentLength))
        xml.element("Content-Type", blob.contentType ?? "application/octet-stream")
        xml.element("Content-Encoding", blob.contentEncoding)
        xml.element("Content-Language", blob.contentLanguage)
        xml.element("Content-CRC64", nil)
        xml.element("Content-MD5", blob.contentMD5)
        xml.element("Cache-Control", blob.cacheControl)
        xml.element("Content-Disposition", blob.contentDisposition)
        if blob.kind == .page { xml.element("x-ms-blob-sequence-number", String(blob.sequenceNumber)) }
        xml.element("BlobType", blob.kind.rawValue)
        if blob.kind == .block {
            xml.element("AccessTier", blob.accessTier ?? "Hot")
            if blob.accessTier == nil { xml.element("AccessTierInferred", "true") }
            if let status = blob.archiveStatus { xml.element("ArchiveStatus", status) }
            if let changed = blob.tierChanged { xml.element("AccessTierChangeTime", HTTPDate.rfc1123(changed)) }
        }
        xml.element("LeaseStatus", "unlocked")
        xml.element("LeaseState", "available")
        xml.element("ServerEncrypted", "true")
        xml.close("Properties")
        if include.contains("metadata") { writeMetadata(blob.metadata, to: &xml) }
        if include.contains("tags"), !blob.tags.isEmpty {
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
        }
        xml.close("Blob")
    }

    private static func writeMetadata(_ metadata: [String: String], to xml: inout XMLWriter) {
        xml.open("Metadata")
        for key in metadata.keys.sorted() { xml.element(key, metadata[key] ?? "") }
        xml.close("Metadata")
    }

    private static func endpoint(_ request: StorageRequest) -> String {
        let host = request.request.head.authority ?? "127.0.0.1"
        return "\(request.isTLS ? "https" : "http")://\(host)/\(request.account.name)/"
    }

    static func document(_ xml: XMLWriter) -> Response {
        let body = xml.document()
        return Response(
            status: .ok,
            headers: [.contentType: "application/xml", .contentLength: String(body.readableBytes)],
            body: .init(byteBuffer: body)
        )
    }
}
