import AzureKit
import Crypto
import Foundation

@testable import LocalCloud

/// Signs storage requests with Shared Key the way Azure documents it (test-side, independent of the server code).
struct SharedKeySigner {
    let account: String
    let key: String

    /// Headers (`x-ms-date`, `x-ms-version`, `Authorization`) for a request.
    func headers(
        method: String,
        url: String,
        headers: [(String, String)] = [],
        contentLength: Int = 0
    ) -> [(String, String)] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var all = headers + [("x-ms-date", formatter.string(from: Date())), ("x-ms-version", "2021-12-02")]
        let lookup = { (name: String) in all.first { $0.0.lowercased() == name }?.1 ?? "" }
        let components = URLComponents(string: url)
        let path = components?.percentEncodedPath ?? "/"
        var lines =
            [
                method, lookup("content-encoding"), lookup("content-language"),
                contentLength == 0 ? "" : String(contentLength),
                lookup("content-md5"), lookup("content-type"), "", lookup("if-modified-since"), lookup("if-match"),
                lookup("if-none-match"), lookup("if-unmodified-since"), lookup("range"),
            ].joined(separator: "\n") + "\n"
        for (name, value) in all.filter({ $0.0.lowercased().hasPrefix("x-ms-") }).sorted(by: {
            $0.0.lowercased() < $1.0.lowercased()
        }) {
            lines += "\(name.lowercased()):\(value)\n"
        }
        lines += "/\(account)\(path)"
        var query: [String: [String]] = [:]
        for item in components?.queryItems ?? [] { query[item.name.lowercased(), default: []].append(item.value ?? "") }
        for name in query.keys.sorted() {
            lines += "\n\(name):\(query[name, default: []].sorted().joined(separator: ","))"
        }
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data(lines.utf8),
            using: SymmetricKey(data: Data(base64Encoded: key) ?? Data())
        )
        all.append(("Authorization", "SharedKey \(account):\(Data(mac).base64EncodedString())"))
        return all
    }

    /// A blob service SAS query string (sv 2021-12-02).
    func blobSAS(container: String, blob: String?, permissions: String, start: Date? = nil, expiry: Date) -> String {
        let formatter = ISO8601DateFormatter()
        let resource = blob.map { "/blob/\(account)/\(container)/\($0)" } ?? "/blob/\(account)/\(container)"
        let sr = blob == nil ? "c" : "b"
        let st = start.map { formatter.string(from: $0) } ?? ""
        let se = formatter.string(from: expiry)
        let fields = [permissions, st, se, resource, "", "", "https", "2021-12-02", sr, "", "", "", "", "", "", ""]
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data(fields.joined(separator: "\n").utf8),
            using: SymmetricKey(data: Data(base64Encoded: key) ?? Data())
        )
        var items = [("sv", "2021-12-02"), ("sr", sr), ("sp", permissions), ("se", se), ("spr", "https")]
        if !st.isEmpty { items.append(("st", st)) }
        items.append(("sig", Data(mac).base64EncodedString()))
        return items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)" }
            .joined(separator: "&")
    }
}
