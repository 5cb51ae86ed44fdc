import AzureKit
import Crypto
import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

@Suite struct SharedKeyVerifierTests {
    /// The service's order, where byte order differs: punctuation before digits, `+` after other punctuation,
    /// hyphens deciding only ties (the name whose hyphen comes later, or that has none, first).
    @Test func headerNamesSortInTheServicesOrder() {
        let expected = [
            "x-ms-meta-a!", "x-ms-meta-a.", "x-ms-meta-a_", "x-ms-meta-a~", "x-ms-meta-a+", "x-ms-meta-a0",
            "x-ms-meta-ab", "x-ms-meta-ab-", "x-ms-meta-a-b", "x-ms-meta-a-c", "x-ms-meta-i_", "x-ms-meta-i0",
            "x-ms-version",
        ]
        #expect(CanonicalHeaderOrder.sorted(expected.reversed()) == expected)
        #expect(CanonicalHeaderOrder.sorted(expected.shuffled()) == expected)
        #expect(CanonicalHeaderOrder.precedes("x-ms-meta-a'b", "x-ms-meta-a-b"))
        #expect(CanonicalHeaderOrder.precedes("x-ms-meta-ab-c", "x-ms-meta-a-bc"))
        #expect(!CanonicalHeaderOrder.precedes("x-ms-date", "x-ms-date"))
        #expect(CanonicalHeaderOrder.precedes("x-ms-blob-type", "x-ms-date"))
    }

    /// A request whose metadata names sort differently in byte order is accepted when signed in the service's
    /// order and refused when signed in byte order.
    @Test func signaturesOverTheServicesOrderAreAcceptedAndByteOrderIsRefused() async throws {
        try await TestCloud.with { cloud in
            let key = try await cloud.makeAccount("sharedkey1")
            let signer = SharedKeySigner(account: "sharedkey1", key: key)
            let base = "\(cloud.endpoints.authorityHost)/sharedkey1"
            let created = try await cloud.send(
                .PUT,
                "\(base)/docs?restype=container",
                headers: signer.headers(method: "PUT", url: "\(base)/docs?restype=container")
            )
            #expect(created.status == 201)
            let metadata = [
                ("x-ms-meta-i0", "2"), ("x-ms-meta-a-c", "4"), ("x-ms-meta-i_", "1"), ("x-ms-meta-ab", "3"),
            ]
            let serviceOrder = ["x-ms-meta-ab", "x-ms-meta-a-c", "x-ms-meta-i_", "x-ms-meta-i0"]
            let byteOrder = serviceOrder.sorted()
            #expect(byteOrder != serviceOrder)
            for (order, status) in [(serviceOrder, 201), (byteOrder, 403)] {
                let headers = Self.signed(
                    account: "sharedkey1",
                    key: key,
                    path: "/sharedkey1/docs/meta.txt",
                    headers: metadata + [("x-ms-blob-type", "BlockBlob")],
                    order: ["x-ms-blob-type", "x-ms-date"] + order + ["x-ms-version"],
                    contentLength: 1
                )
                let put = try await cloud.send(.PUT, "\(base)/docs/meta.txt", headers: headers, body: [7])
                #expect(put.status == status, "\(order): \(put.text)")
            }
        }
    }

    /// Signs a PUT with the `x-ms-` headers listed in exactly `order` (test-side, written from Azure's rules);
    /// `path` is the path-style URL path, which starts with the account again.
    static func signed(
        account: String,
        key: String,
        path: String,
        headers: [(String, String)],
        order: [String],
        contentLength: Int
    ) -> [(String, String)] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let all = headers + [("x-ms-date", formatter.string(from: Date())), ("x-ms-version", "2021-12-02")]
        var text = "PUT\n\n\n\(contentLength)\n\n\n\n\n\n\n\n\n"
        for name in order {
            text += "\(name):\(all.first { $0.0 == name }?.1 ?? "")\n"
        }
        text += "/\(account)\(path)"
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data(text.utf8),
            using: SymmetricKey(data: Data(base64Encoded: key) ?? Data())
        )
        return all + [("Authorization", "SharedKey \(account):\(Data(mac).base64EncodedString())")]
    }

    @Test func secretsCompareEqualOnlyWhenEqual() {
        #expect(SecretComparison.matches("lc~secret", "lc~secret"))
        #expect(!SecretComparison.matches("lc~secreT", "lc~secret"))
        #expect(!SecretComparison.matches("lc~secret", "lc~secret2"))
        #expect(!SecretComparison.matches("", "lc~secret"))
        #expect(SecretComparison.matches("", ""))
        #expect(SecretComparison.matches("abc".dropFirst(), "bc"))
    }
}
