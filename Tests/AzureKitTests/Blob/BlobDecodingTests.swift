import AzureKit
import NIOHTTP1
import Testing

/// Bodies shaped like real service answers recorded in Microsoft's SDK repositories (values changed):
/// List Blobs as in Azure/azure-sdk-for-python `sdk/storage/azure-storage-blob/tests/recordings/test_container.test_list_blobs.yaml`,
/// page-range diffs as in Azure/azure-sdk-for-net
/// `sdk/storage/Azure.Storage.Blobs/tests/SessionRecords/ManagedDiskTests/CanDiffPagesBetweenSnapshots.json`
/// and azure-sdk-for-python `.../recordings/test_page_blob.test_get_page_ranges_diff.yaml`.
@Suite struct BlobDecodingTests {
    static let listBody = """
        <?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://acct.blob.core.windows.net/" ContainerName="repo"><Prefix>packs/</Prefix><MaxResults>2</MaxResults><Blobs><Blob><Name>packs/0a</Name><Properties><Creation-Time>Fri, 25 Oct 2019 17:59:35 GMT</Creation-Time><Last-Modified>Fri, 25 Oct 2019 17:59:36 GMT</Last-Modified><Etag>0x8D7597518BC14A5</Etag><Content-Length>11</Content-Length><Content-Type>application/octet-stream</Content-Type><Content-Encoding /><Content-Language /><Content-CRC64 /><Content-MD5>XrY7u+Ae7tCTyyK7j1rNww==</Content-MD5><Cache-Control /><Content-Disposition /><BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier><AccessTierInferred>true</AccessTierInferred><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted></Properties><Metadata><job>nightly</job></Metadata></Blob><BlobPrefix><Name>packs/sub/</Name></BlobPrefix></Blobs><NextMarker>2!88!MDAwMDIx</NextMarker></EnumerationResults>
        """

    @Test func decodesListBlobs() throws {
        let page = try BlobClient.decodeBlobList(Self.listBody.withBOM)
        #expect(page.blobs.count == 1)
        let blob = try #require(page.blobs.first)
        #expect(blob.name == "packs/0a")
        #expect(blob.properties.contentLength == 11)
        #expect(blob.properties.contentMD5 == "XrY7u+Ae7tCTyyK7j1rNww==")
        #expect(blob.properties.blobType == .blockBlob)
        #expect(blob.properties.accessTier == .hot)
        #expect(blob.properties.lastModified == AzureHTTPDate.parse("Fri, 25 Oct 2019 17:59:36 GMT"))
        #expect(blob.properties.metadata == ["job": "nightly"])
        #expect(page.prefixes == ["packs/sub/"])
        #expect(page.nextMarker == "2!88!MDAwMDIx")
    }

    /// Get Blob's response headers: with a range, `Content-MD5` is the range's MD5 and the whole
    /// blob's MD5 is `x-ms-blob-content-md5` (learn.microsoft.com/rest/api/storageservices/get-blob).
    @Test func rangedAnswerDoesNotTakeTheRangeMD5AsTheBlobMD5() {
        let ranged = BlobProperties(
            headers: HTTPHeaders([
                ("Content-Range", "bytes 0-511/4096"), ("Content-Length", "512"),
                ("Content-MD5", "cmFuZ2UtbWQ1LXZhbHVlIQ=="),
            ])
        )
        #expect(ranged.contentLength == 4096)
        #expect(ranged.contentMD5 == nil)
        let rangedWithWhole = BlobProperties(
            headers: HTTPHeaders([
                ("Content-Range", "bytes 0-511/4096"), ("Content-MD5", "cmFuZ2UtbWQ1LXZhbHVlIQ=="),
                ("x-ms-blob-content-md5", "d2hvbGUtYmxvYi1tZDUhIQ=="),
            ])
        )
        #expect(rangedWithWhole.contentMD5 == "d2hvbGUtYmxvYi1tZDUhIQ==")
        let whole = BlobProperties(
            headers: HTTPHeaders([("Content-Length", "4096"), ("Content-MD5", "d2hvbGUtYmxvYi1tZDUhIQ==")])
        )
        #expect(whole.contentMD5 == "d2hvbGUtYmxvYi1tZDUhIQ==")
    }

    @Test func emptyNextMarkerEndsListing() throws {
        let body =
            #"<?xml version="1.0" encoding="utf-8"?><EnumerationResults ContainerName="c"><Blobs /><NextMarker /></EnumerationResults>"#
        let page = try BlobClient.decodeBlobList(body.withBOM)
        #expect(page.blobs.isEmpty)
        #expect(page.nextMarker == nil)
    }

    @Test func decodesInterleavedDiffInAddressOrder() throws {
        let body =
            #"<?xml version="1.0" encoding="utf-8"?><PageList><PageRange><Start>0</Start><End>511</End></PageRange><ClearRange><Start>512</Start><End>1023</End></ClearRange><PageRange><Start>1024</Start><End>4607</End></PageRange><NextMarker>opaque-1</NextMarker></PageList>"#
        let page = try BlobClient.decodePageList(body.withBOM)
        #expect(
            page.elements == [
                .data(PageRange(start: 0, end: 511)), .cleared(PageRange(start: 512, end: 1023)),
                .data(PageRange(start: 1024, end: 4607)),
            ]
        )
        #expect(page.elements[2].range.length == 3584)
        #expect(page.next == "opaque-1")
    }

    @Test func emptyPageList() throws {
        let page = try BlobClient.decodePageList(#"<?xml version="1.0" encoding="utf-8"?><PageList />"#.withBOM)
        #expect(page.elements.isEmpty)
        #expect(page.next == nil)
    }

    @Test func rejectsBrokenRange() {
        #expect(throws: AzureError.self) {
            try BlobClient.decodePageList(Array("<PageList><PageRange><Start>9</Start></PageRange></PageList>".utf8))
        }
    }
}
