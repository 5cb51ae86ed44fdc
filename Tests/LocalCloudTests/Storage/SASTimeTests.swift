import AzureKit
import Crypto
import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

@Suite struct SASTimeTests {
    private func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0)
        -> Date
    {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return calendar.date(from: components)!
    }

    @Test func theDocumentedFormsAreRead() throws {
        #expect(SASTime.parse("2026-12-03") == utc(2026, 12, 3))
        #expect(SASTime.parse("2026-12-03T10:00Z") == utc(2026, 12, 3, 10))
        #expect(SASTime.parse("2026-12-03T10:07Z") == utc(2026, 12, 3, 10, 7))
        #expect(SASTime.parse("2026-12-03T10:07:09Z") == utc(2026, 12, 3, 10, 7, 9))
        #expect(SASTime.parse("2024-02-29T23:59:59Z") == utc(2024, 2, 29, 23, 59, 59))
        #expect(SASTime.parse("1969-12-31T23:59:59Z") == utc(1969, 12, 31, 23, 59, 59))
        let fraction = try #require(SASTime.parse("2026-12-03T10:07:09.1234567Z"))
        #expect(abs(fraction.timeIntervalSince(utc(2026, 12, 3, 10, 7, 9)) - 0.1234567) < 1e-6)
        let short = try #require(SASTime.parse("2026-12-03T10:07:09.5Z"))
        #expect(abs(short.timeIntervalSince(utc(2026, 12, 3, 10, 7, 9)) - 0.5) < 1e-9)
    }

    @Test func otherFormsAndImpossibleDatesAreRefused() {
        for text in [
            "", "2026-12-03T10Z", "2026-12-03T10:00", "2026-12-03T10:00:00", "2026-12-03T10:00+01:00",
            "2026-12-03T10:00:00+00:00", "2026-12-03T10:00:00.12345678Z", "2026-12-03T10:00:00.Z", "2026-12-3",
            "26-12-03", "2026-13-01", "2026-02-29", "2026-04-31", "2026-12-03T24:00Z", "2026-12-03T10:60Z",
            "2026-12-03T10:00:60Z", "2026-12-03t10:00z", "2026-12-03 10:00Z", " 2026-12-03",
        ] {
            #expect(SASTime.parse(text) == nil, "\(text)")
        }
    }

    /// A service SAS whose expiry has minutes only, or is a date, is honoured as Azure does: until that minute.
    @Test func aSASWithMinutePrecisionOrADateIsHonoured() async throws {
        try await TestCloud.with { cloud in
            let key = try await cloud.makeAccount("sastime1")
            let signer = SharedKeySigner(account: "sastime1", key: key)
            let base = "\(cloud.endpoints.authorityHost)/sastime1"
            _ = try await cloud.send(
                .PUT,
                "\(base)/docs?restype=container",
                headers: signer.headers(method: "PUT", url: "\(base)/docs?restype=container")
            )
            let put = try await cloud.send(
                .PUT,
                "\(base)/docs/a.txt",
                headers: signer.headers(
                    method: "PUT",
                    url: "\(base)/docs/a.txt",
                    headers: [("x-ms-blob-type", "BlockBlob")],
                    contentLength: 2
                ),
                body: Array("hi".utf8)
            )
            #expect(put.status == 201)
            let calendar = Calendar(identifier: .gregorian)
            let nextYear = calendar.component(.year, from: Date()) + 1
            let inAnHour = Date().addingTimeInterval(3600)
            let minuteFormatter = DateFormatter()
            minuteFormatter.locale = Locale(identifier: "en_US_POSIX")
            minuteFormatter.timeZone = TimeZone(identifier: "UTC")
            minuteFormatter.dateFormat = "yyyy-MM-dd'T'HH:mm'Z'"
            let minuteAgo = minuteFormatter.string(from: Date().addingTimeInterval(-120))
            for (start, expiry) in [
                ("", minuteFormatter.string(from: inAnHour)), (minuteAgo, "\(nextYear)-01-01"),
                ("", "\(nextYear)-06-30T12:00:00.1234567Z"),
            ] {
                let query = signer.blobSAS(
                    container: "docs",
                    blob: "a.txt",
                    permissions: "r",
                    start: start,
                    expiry: expiry
                )
                let read = try await cloud.send(.GET, "\(base)/docs/a.txt?\(query)")
                #expect(read.status == 200, "st=\(start) se=\(expiry): \(read.text)")
                #expect(read.text == "hi")
            }
            let past = minuteFormatter.string(from: Date().addingTimeInterval(-120))
            let expired = signer.blobSAS(container: "docs", blob: "a.txt", permissions: "r", start: "", expiry: past)
            let late = try await cloud.send(.GET, "\(base)/docs/a.txt?\(expired)")
            #expect(late.status == 403)
            #expect(late.errorCode == "AuthenticationFailed")
            let offset = signer.blobSAS(
                container: "docs",
                blob: "a.txt",
                permissions: "r",
                start: "",
                expiry: "\(nextYear)-01-01T10:00:00+01:00"
            )
            let refused = try await cloud.send(.GET, "\(base)/docs/a.txt?\(offset)")
            #expect(refused.status == 403)
            #expect(refused.text.contains("YYYY-MM-DDThh:mmZ"))
        }
    }
}

extension SharedKeySigner {
    /// A blob service SAS (sv 2021-12-02) with `st` and `se` exactly as given (empty `start`: none).
    func blobSAS(container: String, blob: String, permissions: String, start: String, expiry: String) -> String {
        let resource = "/blob/\(account)/\(container)/\(blob)"
        let fields = [
            permissions, start, expiry, resource, "", "", "https", "2021-12-02", "b", "", "", "", "", "", "", "",
        ]
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data(fields.joined(separator: "\n").utf8),
            using: SymmetricKey(data: Data(base64Encoded: key) ?? Data())
        )
        var items = [("sv", "2021-12-02"), ("sr", "b"), ("sp", permissions), ("se", expiry), ("spr", "https")]
        if !start.isEmpty { items.append(("st", start)) }
        items.append(("sig", Data(mac).base64EncodedString()))
        return items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)" }
            .joined(separator: "&")
    }
}
