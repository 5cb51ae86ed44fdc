import Testing

@testable import AzureKit

@Suite struct AzureKitModuleTests {
    @Test func moduleNameIsStable() {
        #expect(AzureKitModule.name == "AzureKit")
    }
}
