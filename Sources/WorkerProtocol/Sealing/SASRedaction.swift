import Foundation

/// Removes SAS tokens from text before it is logged or put in a reply's reason.
public enum SASRedaction {
    /// `text` with the query of every `http(s)://` URL replaced by `?<SAS redacted>`, and any remaining
    /// `sig=` value replaced by `<redacted>`.
    public static func scrub(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: "://") {
            output += rest[..<start.upperBound]
            rest = rest[start.upperBound...]
            let end =
                rest.firstIndex(where: { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == ">" }) ?? rest.endIndex
            let url = rest[..<end]
            if let question = url.firstIndex(of: "?") {
                output += url[..<question] + "?<SAS redacted>"
            } else {
                output += url
            }
            rest = rest[end...]
        }
        output += rest
        return scrubSignatures(output)
    }

    private static func scrubSignatures(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: "sig=") {
            output += rest[..<start.upperBound] + "<redacted>"
            rest = rest[start.upperBound...]
            let end = rest.firstIndex(where: { $0 == "&" || $0.isWhitespace || $0 == "\"" }) ?? rest.endIndex
            rest = rest[end...]
        }
        return output + rest
    }
}
