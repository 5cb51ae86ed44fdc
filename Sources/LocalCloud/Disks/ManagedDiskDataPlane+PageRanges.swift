import AzureKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension ManagedDiskDataPlane {
    /// Get Page Ranges: the pages with data, or with `x-ms-previous-snapshot-url` the pages written
    /// (`PageRange`) and cleared (`ClearRange`) since that snapshot; paged with `marker` / `maxresults`.
    func pageList(_ target: Target, request: Request, parts: RequestParts, cloud: CloudServices) throws(StorageError)
        -> Response
    {
        let window = try Self.requestedRange(request, size: target.size) ?? 0..<target.size
        var entries: [(range: Range<Int64>, cleared: Bool)]
        do {
            if let previousURL = request.header("x-ms-previous-snapshot-url") {
                let previous = try previousVersion(previousURL, of: target, cloud: cloud)
                entries = try disks.pages.diff(from: previous, to: target.version, in: window).map {
                    ($0.range, $0.cleared)
                }
            } else {
                entries = try disks.pages.validRanges(of: target.version, in: window).map { ($0, false) }
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw .previousSnapshotNotFound
        }
        let maximum = try Self.maxResults(parts)
        if let marker = parts.value("marker"), !marker.isEmpty {
            guard let start = Int64(marker) else { throw .invalidQueryParameter("marker", marker) }
            entries = entries.filter { $0.range.lowerBound >= start }
        }
        var nextMarker: String?
        if let maximum, entries.count > maximum {
            nextMarker = String(entries[maximum].range.lowerBound)
            entries = Array(entries.prefix(maximum))
        }
        var xml = XMLWriter()
        xml.open("PageList")
        for entry in entries {
            let name = entry.cleared ? "ClearRange" : "PageRange"
            xml.open(name)
            xml.element("Start", String(entry.range.lowerBound))
            xml.element("End", String(entry.range.upperBound - 1))
            xml.close(name)
        }
        if let nextMarker { xml.element("NextMarker", nextMarker) }
        xml.close("PageList")
        let body = xml.document()
        var headers = commonHeaders(target, request: request)
        headers[.contentType] = "application/xml"
        headers[.contentLength] = String(body.readableBytes)
        headers[Self.field("x-ms-blob-content-length")] = String(target.size)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// The version a previous snapshot's SAS URL names, after checking that URL's own grant.
    private func previousVersion(_ url: String, of target: Target, cloud: CloudServices) throws -> PageStore.Version {
        guard let components = URLComponents(string: url) else { throw StorageError.previousSnapshotNotFound }
        let parts = RequestParts(path: components.percentEncodedPath, query: components.percentEncodedQuery)
        guard parts.segments.first?.lowercased().hasPrefix("md-") == true else {
            throw StorageError.previousSnapshotNotFound
        }
        let previous: Target
        do {
            previous = try resolve(parts: parts, needsWrite: false, cloud: cloud)
        } catch {
            throw StorageError.previousSnapshotNotFound
        }
        guard case .snapshot = previous.version else {
            throw StorageError(
                .conflict,
                "PreviousSnapshotOperationNotSupported",
                "Differential Get Page Ranges is not supported on the previous snapshot."
            )
        }
        let family = target.resource.hidden["family"]?.stringValue
        guard let family, !family.isEmpty, previous.resource.hidden["family"]?.stringValue == family else {
            throw StorageError.previousSnapshotNotFound
        }
        return previous.version
    }

    private static func maxResults(_ parts: RequestParts) throws(StorageError) -> Int? {
        guard let text = parts.value("maxresults") else { return nil }
        guard let value = Int(text) else { throw .invalidQueryParameter("maxresults", text) }
        guard value > 0 else { throw .outOfRange("maxresults", text, minimum: 1, maximum: 10_000) }
        return min(value, 10_000)
    }
}

extension StorageError {
    /// 409 `PreviousSnapshotNotFound`.
    static let previousSnapshotNotFound = StorageError(
        .conflict,
        "PreviousSnapshotNotFound",
        "The previous snapshot is not found."
    )
}
