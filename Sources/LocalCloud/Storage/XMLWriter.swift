import Hummingbird

/// Builds the XML documents of the Blob and Queue services: a UTF-8 BOM, the XML declaration, then elements
/// without whitespace, as Azure sends them.
struct XMLWriter {
    private var text = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"

    mutating func open(_ name: String, attributes: [(String, String)] = []) {
        text += "<\(name)"
        for (key, value) in attributes { text += " \(key)=\"\(Self.escape(value))\"" }
        text += ">"
    }

    mutating func close(_ name: String) { text += "</\(name)>" }

    mutating func element(_ name: String, _ value: String?) {
        guard let value else {
            text += "<\(name) />"
            return
        }
        text += value.isEmpty ? "<\(name) />" : "<\(name)>\(Self.escape(value))</\(name)>"
    }

    mutating func empty(_ name: String) { text += "<\(name) />" }

    /// The document with a leading byte-order mark.
    func document() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeBytes([0xEF, 0xBB, 0xBF])
        buffer.writeString(text)
        return buffer
    }

    static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
