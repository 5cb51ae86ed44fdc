import Foundation
import NIOCore
import NIOHTTP1

/// Percent-encoding as Azure Storage expects it.
public enum URLEncoding {
    static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    /// Encodes everything but unreserved characters (RFC 3986), for query names and values.
    public static func encodeQueryComponent(_ text: String) -> String {
        encode(text, keeping: unreserved)
    }

    /// Encodes a blob name or path, keeping `/` as the separator.
    public static func encodePath(_ text: String) -> String {
        encode(text, keeping: unreserved.union([UInt8(ascii: "/")]))
    }

    static func encode(_ text: String, keeping allowed: Set<UInt8>) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if allowed.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }

    /// Builds a query string from name/value pairs in the given order (`$` is kept in names,
    /// as in ARM's `$expand` and `$filter`).
    public static func query(_ items: [(String, String)]) -> String {
        items.map { "\(encode($0.0, keeping: unreserved.union([UInt8(ascii: "$")])))=\(encodeQueryComponent($0.1))" }
            .joined(separator: "&")
    }

    /// Returns `url` with `items` appended to its existing query (which is kept byte for byte, so a
    /// SAS URL's signature stays valid).
    public static func appending(_ items: [(String, String)], to url: URL) -> URL {
        guard !items.isEmpty else { return url }
        let text = url.absoluteString
        let fragmentless =
            text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
        let separator: String
        if let question = fragmentless.firstIndex(of: "?") {
            separator =
                fragmentless.index(after: question) == fragmentless.endIndex || fragmentless.hasSuffix("&") ? "" : "&"
        } else {
            separator = "?"
        }
        return URL(string: fragmentless + separator + query(items)) ?? url
    }

    /// The decoded query items of `url` (names as given; `+` is not treated as a space).
    public static func queryItems(of url: URL) -> [(name: String, value: String)] {
        guard let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQuery, !query.isEmpty
        else {
            return []
        }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            return (name, value)
        }
    }
}
