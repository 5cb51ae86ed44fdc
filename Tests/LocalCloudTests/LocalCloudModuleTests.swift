import AzureKit
import Testing

@testable import LocalCloud

@Suite struct LocalCloudModuleTests {
    @Test func moduleNameIsStable() {
        #expect(LocalCloudModule.name == "LocalCloud")
    }
}
