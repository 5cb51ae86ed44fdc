import Foundation
import Testing

@testable import LocalCloud

@Suite struct ResourceModelTests {
    @Test func ubuntuURNParsesAndIsInTheCatalog() throws {
        let image = try #require(ImageReference(urn: "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest"))
        #expect(image == .ubuntu2204)
        #expect(image.catalogEntry?.generation == "V2")
        #expect(ImageReference(urn: "Canonical:only-three:parts") == nil)
        #expect(ImageReference(publisher: "Acme", offer: "x", sku: "y", version: "latest").catalogEntry == nil)
    }

    @Test func networkAccessPolicyRoundTripsAndRejectsUnknownNames() throws {
        let data = Data(#"{"creationData":{"createOption":"Empty"},"networkAccessPolicy":"allowprivate"}"#.utf8)
        let properties = try JSONDecoder().decode(Disk.Properties.self, from: data)
        #expect(properties.networkAccessPolicy == .allowPrivate)
        let encoded = String(decoding: try JSONEncoder().encode(properties), as: UTF8.self)
        #expect(encoded.contains(#""networkAccessPolicy":"AllowPrivate""#))
        let bad = Data(#"{"creationData":{"createOption":"Empty"},"networkAccessPolicy":"Sometimes"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Disk.Properties.self, from: bad) }
    }

    @Test func virtualMachineNeverReturnsSecrets() throws {
        let body = Data(
            #"""
            {"location":"westeurope","properties":{"hardwareProfile":{"vmSize":"Standard_D2s_v5"},
             "storageProfile":{"imageReference":{"publisher":"Canonical","offer":"0001-com-ubuntu-server-jammy",
               "sku":"22_04-lts-gen2","version":"latest"},"osDisk":{"createOption":"FromImage"}},
             "osProfile":{"computerName":"w1","adminUsername":"azureuser","adminPassword":"Secret-123!"},
             "networkProfile":{"networkInterfaces":[{"id":"/n2"},{"id":"/n1","properties":{"primary":true}}]}}}
            """#.utf8
        )
        let vm = try JSONDecoder().decode(VirtualMachine.self, from: body)
        #expect(vm.networkInterfaceIds == ["/n1", "/n2"])
        let encoded = String(decoding: try JSONEncoder().encode(vm.redacted), as: UTF8.self)
        #expect(!encoded.contains("Secret-123!"))
        #expect(encoded.contains("azureuser"))
    }
}
