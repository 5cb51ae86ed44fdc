import Testing

@testable import AzureBlobStore

@Suite struct AzureBlobStoreModuleTests {
    @Test func moduleNameIsStable() {
        #expect(AzureBlobStoreModule.name == "AzureBlobStore")
    }
}
