/// A parsed XML element: enough of XML for Azure Storage's response bodies (elements, attributes,
/// text, entities, CDATA; declarations, comments and a UTF-8 byte-order mark are skipped).
public struct AzureXMLElement: Sendable, Equatable {
    /// The element's name, e.g. `Blob`.
    public var name: String
    /// The element's attributes.
    public var attributes: [String: String]
    /// Child elements in document order.
    public var children: [AzureXMLElement]
    /// The concatenated character data directly inside this element.
    public var text: String

    /// Creates an element.
    public init(name: String, attributes: [String: String] = [:], children: [AzureXMLElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child named `name`.
    public func child(_ name: String) -> AzureXMLElement? {
        children.first { $0.name == name }
    }

    /// Every child named `name`.
    public func children(named name: String) -> [AzureXMLElement] {
        children.filter { $0.name == name }
    }

    /// The text of the first child named `name`, or `nil` if there is no such child.
    public func childText(_ name: String) -> String? {
        child(name)?.text
    }

    /// The text of the first child named `name`, or `nil` if absent or empty.
    public func nonEmptyChildText(_ name: String) -> String? {
        guard let text = child(name)?.text, !text.isEmpty else { return nil }
        return text
    }
}

/// Escapes text for use inside an XML element or attribute.
public func azureXMLEscape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&apos;"
        default: result.append(character)
        }
    }
    return result
}
