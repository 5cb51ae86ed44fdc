import Foundation

/// Removes secrets from text before it reaches a log line or an error description.
///
/// Redacts the values of SAS signatures (`sig=`), account keys (`AccountKey=`, `SharedKey acct:`),
/// OAuth secrets and tokens (`client_secret=`, `access_token`, `Bearer …`), also inside a
/// percent-encoded URL carried as a parameter value (`sig%3D…`).
public enum Redaction {
    /// The text that replaces a secret.
    public static let placeholder = "REDACTED"

    /// Query or form parameters whose values are secrets (compared case-insensitively).
    static let secretParameters = [
        "sig", "client_secret", "client_assertion", "accountkey", "access_token", "refresh_token",
    ]

    /// Returns `text` with every secret value replaced by ``placeholder``.
    public static func redact(_ text: String) -> String {
        var result = redactParameters(in: text)
        result = redactEncodedParameters(in: result)
        result = redactAfter(marker: "SharedKey ", in: result, stopAt: [" ", "\"", "'", "\n", ","])
        result = redactAfter(marker: "Bearer ", in: result, stopAt: [" ", "\"", "'", "\n", ","])
        result = redactJSONField("access_token", in: result)
        result = redactJSONField("refresh_token", in: result)
        return result
    }

    /// Replaces `name=value` (value up to `&`, `;`, whitespace or a quote) for secret parameter names.
    static func redactParameters(in text: String) -> String {
        var output = ""
        output.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            if let (nameEnd, matched) = matchSecretName(in: text, at: index) {
                output += text[index..<nameEnd]
                _ = matched
                var valueEnd = nameEnd
                while valueEnd < text.endIndex, !"&; \n\t\"'<>,".contains(text[valueEnd]) {
                    valueEnd = text.index(after: valueEnd)
                }
                output += placeholder
                index = valueEnd
            } else {
                output.append(text[index])
                index = text.index(after: index)
            }
        }
        return output
    }

    /// If a secret parameter name followed by `=` starts at `index` (at a word boundary), returns the index after `=`.
    private static func matchSecretName(in text: String, at index: String.Index) -> (String.Index, String)? {
        if index > text.startIndex {
            let previous = text[text.index(before: index)]
            if previous.isLetter || previous.isNumber || previous == "_" { return nil }
        }
        for name in secretParameters {
            var cursor = index
            var matched = true
            for expected in name {
                guard cursor < text.endIndex, text[cursor].lowercased() == String(expected) else {
                    matched = false
                    break
                }
                cursor = text.index(after: cursor)
            }
            if matched, cursor < text.endIndex, text[cursor] == "=" {
                return (text.index(after: cursor), name)
            }
        }
        return nil
    }

    /// Replaces the values of secret parameters inside a percent-encoded URL that is itself a
    /// parameter value (`…%3Fsv%3D…%26sig%3Dabc%253D…`), up to the next encoded `&` (`%26`).
    static func redactEncodedParameters(in text: String) -> String {
        guard text.range(of: "%3D", options: .caseInsensitive) != nil else { return text }
        let characters = Array(text)
        var output = ""
        output.reserveCapacity(characters.count)
        var index = 0
        while index < characters.count {
            if let valueStart = encodedSecretValueStart(in: characters, at: index) {
                output += String(characters[index..<valueStart]) + placeholder
                var end = valueStart
                while end < characters.count, !"&; \n\t\"'<>,".contains(characters[end]),
                    !isEncodedAmpersand(characters, at: end)
                {
                    end += 1
                }
                index = end
            } else {
                output.append(characters[index])
                index += 1
            }
        }
        return output
    }

    /// If `name%3D` of a secret parameter starts at `index`, after `%26`, `%3F`, or a non-word
    /// character, returns the index of its value.
    private static func encodedSecretValueStart(in characters: [Character], at index: Int) -> Int? {
        let boundary: Bool
        if index == 0 {
            boundary = true
        } else if index >= 3, ["%26", "%3f"].contains(String(characters[(index - 3)..<index]).lowercased()) {
            boundary = true
        } else {
            let previous = characters[index - 1]
            boundary = !(previous.isLetter || previous.isNumber || previous == "_")
        }
        guard boundary else { return nil }
        for name in secretParameters {
            let marker = Array(name + "%3d")
            guard index + marker.count <= characters.count else { continue }
            if String(characters[index..<(index + marker.count)]).lowercased() == String(marker) {
                return index + marker.count
            }
        }
        return nil
    }

    private static func isEncodedAmpersand(_ characters: [Character], at index: Int) -> Bool {
        index + 3 <= characters.count && String(characters[index..<(index + 3)]).lowercased() == "%26"
    }

    /// Replaces what follows every occurrence of `marker` up to one of `stopAt`.
    static func redactAfter(marker: String, in text: String, stopAt: Set<Character>) -> String {
        guard text.contains(marker) else { return text }
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: marker) {
            output += rest[..<range.upperBound]
            var end = range.upperBound
            while end < rest.endIndex, !stopAt.contains(rest[end]) { end = rest.index(after: end) }
            output += placeholder
            rest = rest[end...]
        }
        output += rest
        return output
    }

    /// Replaces the string value of a JSON field such as `"access_token":"…"`.
    static func redactJSONField(_ field: String, in text: String) -> String {
        let marker = "\"\(field)\""
        guard text.contains(marker) else { return text }
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: marker) {
            output += rest[..<range.upperBound]
            var cursor = range.upperBound
            while cursor < rest.endIndex, rest[cursor] == " " || rest[cursor] == ":" {
                cursor = rest.index(after: cursor)
            }
            output += rest[range.upperBound..<cursor]
            if cursor < rest.endIndex, rest[cursor] == "\"" {
                var end = rest.index(after: cursor)
                while end < rest.endIndex, rest[end] != "\"" { end = rest.index(after: end) }
                output += "\"\(placeholder)\""
                rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
            } else {
                rest = rest[cursor...]
            }
        }
        output += rest
        return output
    }
}
