import Foundation
import HTTPTypes

/// Minimal readers for the small XML request bodies of the storage services (block lists, tag sets, queue
/// messages). They accept either quote style in the declaration, whitespace between elements and the five
/// predefined entities plus numeric character references.
enum SimpleXML {
    /// The text content of every element named one of `names`, in document order.
    static func elements(_ names: [String], in text: String) -> [(name: String, value: String)] {
        var results: [(String, String)] = []
        var index = text.startIndex
        while let open = text[index...].firstIndex(of: "<") {
            guard let close = text[open...].firstIndex(of: ">") else { break }
            let tag = String(text[text.index(after: open)..<close])
            index = text.index(after: close)
            guard names.contains(tag) else { continue }
            guard let end = text.range(of: "</\(tag)>", range: index..<text.endIndex) else { break }
            results.append((tag, unescape(String(text[index..<end.lowerBound]))))
            index = end.upperBound
        }
        return results
    }

    /// Decodes XML entities.
    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "&", let semicolon = text[index...].firstIndex(of: ";") {
                let entity = String(text[text.index(after: index)..<semicolon])
                var replacement: String?
                switch entity {
                case "amp": replacement = "&"
                case "lt": replacement = "<"
                case "gt": replacement = ">"
                case "quot": replacement = "\""
                case "apos": replacement = "'"
                default:
                    if entity.hasPrefix("#x"), let value = UInt32(entity.dropFirst(2), radix: 16),
                        let scalar = Unicode.Scalar(value)
                    {
                        replacement = String(Character(scalar))
                    } else if entity.hasPrefix("#"), let value = UInt32(entity.dropFirst()),
                        let scalar = Unicode.Scalar(value)
                    {
                        replacement = String(Character(scalar))
                    }
                }
                if let replacement {
                    output += replacement
                    index = text.index(after: semicolon)
                    continue
                }
            }
            output.append(character)
            index = text.index(after: index)
        }
        return output
    }
}

/// Parses a Put Block List body.
enum BlockListParser {
    enum List {
        case latest
        case committed
        case uncommitted
    }

    struct Entry {
        var id: String
        var list: List
    }

    static func parse(_ data: Data) throws -> [Entry] {
        let text = String(decoding: data, as: UTF8.self)
        guard text.contains("<BlockList") else {
            throw StorageError(.badRequest, "InvalidXmlDocument", "XML specified is not syntactically valid.")
        }
        return SimpleXML.elements(["Latest", "Committed", "Uncommitted"], in: text).map { element in
            switch element.name {
            case "Committed": return Entry(id: element.value, list: .committed)
            case "Uncommitted": return Entry(id: element.value, list: .uncommitted)
            default: return Entry(id: element.value, list: .latest)
            }
        }
    }
}

/// Parses a Set Blob Tags body.
enum TagSetParser {
    static func parse(_ data: Data) -> [String: String] {
        let elements = SimpleXML.elements(["Key", "Value"], in: String(decoding: data, as: UTF8.self))
        var tags: [String: String] = [:]
        var key: String?
        for element in elements {
            if element.name == "Key" {
                key = element.value
            } else if let current = key {
                tags[current] = element.value
                key = nil
            }
        }
        return tags
    }
}
