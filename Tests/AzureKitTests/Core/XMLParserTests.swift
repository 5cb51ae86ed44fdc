import AzureKit
import Testing

@Suite struct XMLParserTests {
    @Test func parsesBOMDeclarationEntitiesAndCDATA() throws {
        let document =
            #"<?xml version="1.0" encoding="utf-8"?><Root a="1 &amp; 2"><Item>x &lt; y &#65;&#x42;</Item><Empty /><Data><![CDATA[<raw & text>]]></Data></Root>"#
        let root = try AzureXMLParser.parse(document.withBOM)
        #expect(root.name == "Root")
        #expect(root.attributes["a"] == "1 & 2")
        #expect(root.childText("Item") == "x < y AB")
        #expect(root.childText("Empty") == "")
        #expect(root.childText("Data") == "<raw & text>")
    }

    @Test func rejectsMalformedDocuments() {
        #expect(throws: AzureError.self) { try AzureXMLParser.parse("<a><b></a>") }
        #expect(throws: AzureError.self) { try AzureXMLParser.parse("<a>") }
        #expect(throws: AzureError.self) { try AzureXMLParser.parse("not xml") }
    }

    @Test func escapingRoundTrips() throws {
        let text = #"<tag> & "quotes" 'apos'"#
        let root = try AzureXMLParser.parse("<m>\(azureXMLEscape(text))</m>")
        #expect(root.text == text)
    }
}
