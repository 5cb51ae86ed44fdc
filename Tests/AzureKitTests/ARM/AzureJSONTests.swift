import AzureKit
import Foundation
import Testing

@Suite struct AzureJSONTests {
    @Test func integersAndFractionsDecodeApartAndRoundTrip() throws {
        let text = #"{"big":9007199254740993,"half":0.5,"n":5,"neg":-3,"on":true,"off":null,"s":"x","list":[1,2.25]}"#
        let value = try AzureJSON(parsing: Data(text.utf8))
        #expect(value["big"] == .integer(9_007_199_254_740_993))
        #expect(value["half"] == .number(0.5))
        #expect(value["n"] == .integer(5))
        #expect(value["neg"]?.intValue == -3)
        #expect(value["on"]?.boolValue == true)
        #expect(value["off"] == .null)
        #expect(value["list"]?[1]?.doubleValue == 2.25)
        #expect(value["list"]?[2] == nil)
        let serialized = String(decoding: value.serialized(), as: UTF8.self)
        #expect(
            serialized
                == #"{"big":9007199254740993,"half":0.5,"list":[1,2.25],"n":5,"neg":-3,"off":null,"on":true,"s":"x"}"#
        )
        #expect(try AzureJSON(parsing: value.serialized()) == value)
        #expect(try AzureJSON(parsing: JSONEncoder().encode(value)) == value)
    }

    @Test func membersAreSetAndFoundWithoutRegardToCase() {
        var value: AzureJSON = ["properties": ["provisioningState": "Creating"], "count": 2, "ratio": 1.5]
        value["properties"]?["provisioningState"] = "Succeeded"
        value["tags"] = ["a": "b"]
        #expect(value["properties"]?["provisioningState"]?.stringValue == "Succeeded")
        #expect(value.member(caseInsensitive: "PROPERTIES")?["provisioningState"] == "Succeeded")
        #expect(value["tags"]?.objectValue?.count == 1)
        #expect(value["count"]?.intValue == 2)
        #expect(value["ratio"]?.intValue == nil)
        var scalar: AzureJSON = "text"
        scalar["ignored"] = 1
        #expect(scalar == "text")
    }

    @Test func stringsAreEscapedAndNonFiniteNumbersBecomeNull() {
        let value: AzureJSON = ["s": "quote \" slash \\ line\n\u{1}", "inf": .number(.infinity), "whole": .number(3)]
        let text = String(decoding: value.serialized(), as: UTF8.self)
        #expect(text == #"{"inf":null,"s":"quote \" slash \\ line\n\u0001","whole":3}"#)
    }

    @Test func malformedDocumentsAreRefused() {
        #expect(throws: (any Error).self) { try AzureJSON(parsing: Data("{\"a\":".utf8)) }
    }
}
