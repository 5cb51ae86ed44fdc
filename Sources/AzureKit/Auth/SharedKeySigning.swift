import Foundation
import NIOCore
import NIOHTTP1

/// The Shared Key string-to-sign for the Blob and Queue services (version 2009-09-19 and later),
/// as documented in "Authorize with Shared Key".
public enum SharedKeySigning {
    /// The string-to-sign of `request` for `accountName`.
    public static func stringToSign(for request: AzureHTTPRequest, accountName: String) -> String {
        let headers = request.headers
        func value(_ name: String) -> String { headers[name].joined(separator: ",") }
        let length = request.body.length
        var contentLength = value("Content-Length")
        if contentLength.isEmpty, length > 0 { contentLength = String(length) }
        if contentLength == "0" { contentLength = "" }
        let lines = [
            request.method.rawValue,
            value("Content-Encoding"),
            value("Content-Language"),
            contentLength,
            value("Content-MD5"),
            value("Content-Type"),
            headers.contains(name: "x-ms-date") ? "" : value("Date"),
            value("If-Modified-Since"),
            value("If-Match"),
            value("If-None-Match"),
            value("If-Unmodified-Since"),
            value("Range"),
        ]
        return lines.joined(separator: "\n") + "\n" + canonicalizedHeaders(request)
            + canonicalizedResource(request.url, accountName: accountName)
    }

    /// Every `x-ms-` header, lowercased and sorted as the service sorts them (culture-aware:
    /// `-` only breaks ties, `_` before digits), as `name:value\n` with whitespace runs folded.
    public static func canonicalizedHeaders(_ request: AzureHTTPRequest) -> String {
        var values: [String: [String]] = [:]
        for (name, value) in request.headers {
            let lower = name.lowercased()
            guard lower.hasPrefix("x-ms-") else { continue }
            values[lower, default: []].append(fold(value))
        }
        return values.keys.sorted(by: SharedKeyHeaderOrder.areInIncreasingOrder).map {
            "\($0):\(values[$0, default: []].joined(separator: ","))\n"
        }.joined()
    }

    /// `/<account><encoded path>` followed by `\nname:value` for each query parameter, sorted by
    /// lowercase name, values decoded and comma-joined.
    public static func canonicalizedResource(_ url: URL, accountName: String) -> String {
        var path = url.path(percentEncoded: true)
        if path.isEmpty { path = "/" }
        var result = "/\(accountName)\(path)"
        var parameters: [String: [String]] = [:]
        for item in URLEncoding.queryItems(of: url) {
            parameters[item.name.lowercased(), default: []].append(item.value)
        }
        for name in parameters.keys.sorted() {
            let joined = parameters[name, default: []].sorted().joined(separator: ",")
            result += "\n\(name):\(joined)"
        }
        return result
    }

    static func fold(_ value: String) -> String {
        var result = ""
        var lastWasSpace = false
        // Linear white space (spaces, tabs, line breaks) becomes one space ("Authorize with Shared Key").
        for character in value.trimmingCharacters(in: .whitespacesAndNewlines) {
            if character == " " || character == "\t" || character == "\r" || character == "\n" || character == "\r\n" {
                if !lastWasSpace { result.append(" ") }
                lastWasSpace = true
            } else {
                result.append(character)
                lastWasSpace = false
            }
        }
        return result
    }
}
