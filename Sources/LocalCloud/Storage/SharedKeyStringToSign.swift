import HTTPTypes
import Hummingbird

/// The strings a Shared Key signature of a Blob or Queue request may cover, built from Azure's documented rules
/// for version 2009-09-19 and later (Authorize with Shared Key), independently of any client's signer:
///
/// 1. The verb and eleven standard headers, one per line; `Content-Length` is empty when it is `0`, and `Date`
///    is empty when `x-ms-date` is sent.
/// 2. The canonicalized headers: every `x-ms-` header, its name lowercased, its value's runs of spaces and tabs
///    folded into one space and trimmed, repeated headers joined with commas, in ``CanonicalHeaderOrder``.
/// 3. The canonicalized resource: `/ACCOUNT/PATH` with the still-encoded path, then one line per query parameter
///    (`name:value1,value2`: names lowercased and sorted, values decoded and sorted).
struct SharedKeyStringToSign {
    let request: StorageRequest

    /// Every candidate string to sign: for a queue endpoint also with the endpoint's own first segment as the
    /// account name, and with and without query parameters whose values are all empty (clients differ there).
    var candidates: [String] {
        let head = verbAndStandardHeaders + canonicalizedHeaders
        return canonicalizedResources.map { head + $0 }
    }

    /// Lines 1–12 of the string to sign, each ending in a newline.
    var verbAndStandardHeaders: String {
        let header = { (name: String) in request.header(name) ?? "" }
        let length = header("content-length") == "0" ? "" : header("content-length")
        let date = request.header("x-ms-date") == nil ? header("date") : ""
        let lines = [
            request.method.rawValue, header("content-encoding"), header("content-language"), length,
            header("content-md5"), header("content-type"), date, header("if-modified-since"), header("if-match"),
            header("if-none-match"), header("if-unmodified-since"), header("range"),
        ]
        return lines.map { $0 + "\n" }.joined()
    }

    /// The `x-ms-` headers, one `name:value` line each.
    var canonicalizedHeaders: String {
        var values: [String: [String]] = [:]
        for field in request.request.headers {
            let name = field.name.canonicalName.lowercased()
            guard name.hasPrefix("x-ms-") else { continue }
            values[name, default: []].append(Self.foldWhitespace(field.value))
        }
        return CanonicalHeaderOrder.sorted(values.keys).map { name in
            "\(name):\(values[name, default: []].joined(separator: ","))\n"
        }.joined()
    }

    /// The canonicalized resource variants.
    var canonicalizedResources: [String] {
        var accounts = [request.account.name]
        if let first = request.parts.segments.first, first.lowercased() != request.account.name {
            accounts.append(first)
        }
        var parameters: [String: [String]] = [:]
        for item in request.parts.query { parameters[item.name.lowercased(), default: []].append(item.value) }
        let names = parameters.keys.sorted()
        func lines(includingEmpty: Bool) -> String {
            names.compactMap { name -> String? in
                let values = parameters[name, default: []].sorted()
                if !includingEmpty && values.allSatisfy(\.isEmpty) { return nil }
                return "\n\(name):\(values.joined(separator: ","))"
            }.joined()
        }
        var result: [String] = []
        for account in accounts {
            for includingEmpty in [true, false] {
                let resource = "/\(account)\(request.parts.rawPath)" + lines(includingEmpty: includingEmpty)
                if !result.contains(resource) { result.append(resource) }
            }
        }
        return result
    }

    /// A header value with each run of spaces and tabs replaced by one space and none at either end.
    static func foldWhitespace(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
