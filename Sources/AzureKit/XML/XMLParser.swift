/// A small, strict XML parser producing ``AzureXMLElement`` trees.
public enum AzureXMLParser {
    /// Parses a document and returns its root element.
    /// - Throws: ``AzureError`` with code ``AzureError/Code/invalidResponse`` on malformed XML.
    public static func parse(_ bytes: some Collection<UInt8>) throws -> AzureXMLElement {
        var parser = Cursor(bytes: Array(bytes))
        return try parser.document()
    }

    /// Parses a document held in a string.
    public static func parse(_ string: String) throws -> AzureXMLElement {
        try parse(Array(string.utf8))
    }

    struct Cursor {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }

        func failure(_ what: String) -> AzureError {
            AzureError(.invalidResponse, message: "Malformed XML in the response: \(what) at byte \(index).")
        }

        mutating func document() throws -> AzureXMLElement {
            try skipMisc()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "<") else { throw failure("no root element") }
            let root = try element()
            try skipMisc()
            guard index == bytes.count else { throw failure("content after the root element") }
            return root
        }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        func hasPrefix(_ text: String) -> Bool {
            let pattern = Array(text.utf8)
            guard index + pattern.count <= bytes.count else { return false }
            return Array(bytes[index..<(index + pattern.count)]) == pattern
        }

        mutating func skip(past terminator: String) throws {
            let pattern = Array(terminator.utf8)
            while index + pattern.count <= bytes.count {
                if Array(bytes[index..<(index + pattern.count)]) == pattern {
                    index += pattern.count
                    return
                }
                index += 1
            }
            throw failure("missing '\(terminator)'")
        }

        mutating func skipMisc() throws {
            while true {
                skipWhitespace()
                if hasPrefix("<?") {
                    try skip(past: "?>")
                } else if hasPrefix("<!--") {
                    try skip(past: "-->")
                } else if hasPrefix("<!DOCTYPE") {
                    try skip(past: ">")
                } else {
                    return
                }
            }
        }

        mutating func name() throws -> String {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "=")].contains(byte) {
                    break
                }
                index += 1
            }
            guard index > start else { throw failure("empty name") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func element() throws -> AzureXMLElement {
            index += 1  // "<"
            var element = AzureXMLElement(name: try name())
            while true {
                skipWhitespace()
                guard index < bytes.count else { throw failure("unterminated start tag") }
                if bytes[index] == UInt8(ascii: "/") {
                    guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else {
                        throw failure("bad '/'")
                    }
                    index += 2
                    return element
                }
                if bytes[index] == UInt8(ascii: ">") {
                    index += 1
                    break
                }
                let attributeName = try name()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                    throw failure("attribute without value")
                }
                index += 1
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'")
                else {
                    throw failure("unquoted attribute")
                }
                let quote = bytes[index]
                index += 1
                let start = index
                while index < bytes.count, bytes[index] != quote { index += 1 }
                guard index < bytes.count else { throw failure("unterminated attribute") }
                element.attributes[attributeName] = try decodeEntities(bytes[start..<index])
                index += 1
            }
            var text: [UInt8] = []
            while true {
                guard index < bytes.count else { throw failure("unterminated element '\(element.name)'") }
                if hasPrefix("</") {
                    index += 2
                    let closing = try name()
                    guard closing == element.name else { throw failure("mismatched end tag '\(closing)'") }
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { throw failure("bad end tag") }
                    index += 1
                    element.text = try decodeEntities(text[...])
                    return element
                } else if hasPrefix("<!--") {
                    try skip(past: "-->")
                } else if hasPrefix("<![CDATA[") {
                    index += 9
                    let start = index
                    try skip(past: "]]>")
                    let data = bytes[start..<(index - 3)]
                    text += data.flatMap { byte -> [UInt8] in
                        // Escape so that entity decoding leaves CDATA content unchanged.
                        byte == UInt8(ascii: "&") ? Array("&amp;".utf8) : [byte]
                    }
                } else if hasPrefix("<?") {
                    try skip(past: "?>")
                } else if bytes[index] == UInt8(ascii: "<") {
                    element.children.append(try self.element())
                } else {
                    text.append(bytes[index])
                    index += 1
                }
            }
        }

        func decodeEntities(_ raw: ArraySlice<UInt8>) throws -> String {
            guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
            var output: [UInt8] = []
            var position = raw.startIndex
            while position < raw.endIndex {
                let byte = raw[position]
                guard byte == UInt8(ascii: "&") else {
                    output.append(byte)
                    position += 1
                    continue
                }
                guard let end = raw[position...].firstIndex(of: UInt8(ascii: ";")) else {
                    throw failure("unterminated entity")
                }
                let entity = String(decoding: raw[(position + 1)..<end], as: UTF8.self)
                switch entity {
                case "lt": output.append(UInt8(ascii: "<"))
                case "gt": output.append(UInt8(ascii: ">"))
                case "amp": output.append(UInt8(ascii: "&"))
                case "quot": output.append(UInt8(ascii: "\""))
                case "apos": output.append(UInt8(ascii: "'"))
                default:
                    let scalarValue: UInt32?
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                        scalarValue = UInt32(entity.dropFirst(2), radix: 16)
                    } else if entity.hasPrefix("#") {
                        scalarValue = UInt32(entity.dropFirst())
                    } else {
                        scalarValue = nil
                    }
                    guard let scalarValue, let scalar = Unicode.Scalar(scalarValue) else {
                        throw failure("unknown entity '&\(entity);'")
                    }
                    output += Array(String(Character(scalar)).utf8)
                }
                position = end + 1
            }
            return String(decoding: output, as: UTF8.self)
        }
    }
}
