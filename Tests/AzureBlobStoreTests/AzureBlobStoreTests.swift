import AzureBlobStore
import AzureKit
import BackupRepository
import Foundation
import Logging
import Testing

@Suite struct AzureBlobStoreTests {
    @Test func locationHasNoSignature() async throws {
        let client = AzureClient(transport: try AsyncHTTPClientTransport())
        let store = try AzureBlobStore(
            client: client,
            containerSASURL: try SASURL(
                string: "https://acct.blob.core.windows.net/repo?sv=2022-11-02&sr=c&sp=racwdl&sig=secretvalue"
            ),
            prefix: "r1/",
            logger: Logger(label: "test")
        )
        #expect(store.container == "repo")
        #expect(store.location == "https://acct.blob.core.windows.net/repo/r1/")
        #expect(!store.location.contains("secretvalue"))
        try await client.shutdown()
    }
}
