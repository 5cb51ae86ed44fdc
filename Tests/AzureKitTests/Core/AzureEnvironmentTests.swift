import AzureKit
import Foundation
import Testing

@Suite struct AzureEnvironmentTests {
    @Test func publicCloudDefaults() {
        let environment = AzureEnvironment.publicCloud
        #expect(environment.resourceManagerScope == "https://management.azure.com/.default")
        #expect(
            environment.storageEndpoint(account: "acct", service: .blob)?.absoluteString
                == "https://acct.blob.core.windows.net/"
        )
        #expect(
            environment.storageEndpoint(account: "acct", service: .queue)?.absoluteString
                == "https://acct.queue.core.windows.net/"
        )
    }

    @Test func explicitEndpointsWin() {
        var environment = AzureEnvironment.publicCloud
        environment.storageEndpoints.set(URL(string: "https://127.0.0.1:9443/acct/")!, account: "acct", service: .blob)
        #expect(
            environment.storageEndpoint(account: "acct", service: .blob)?.absoluteString
                == "https://127.0.0.1:9443/acct/"
        )
        #expect(
            environment.storageEndpoint(account: "other", service: .blob)?.absoluteString
                == "https://other.blob.core.windows.net/"
        )
    }

    @Test func loadsLocalCloudEndpointsFile() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "azurekit-env-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".write(
            to: folder.appending(path: "ca.pem"),
            atomically: true,
            encoding: .utf8
        )
        let json = """
            {"authorityHost":"https://127.0.0.1:8443/","tenantId":"t1","clientId":"c1","clientSecret":"s1",
             "subscriptionId":"sub1","resourceManager":"https://127.0.0.1:8443/","tokenScope":"https://127.0.0.1:8443/.default",
             "caCertificate":"ca.pem","regions":["westus","eastus"]}
            """
        try json.write(to: folder.appending(path: "endpoints.json"), atomically: true, encoding: .utf8)
        let (environment, endpoints) = try AzureEnvironment.localCloud(
            endpointsFile: folder.appending(path: "endpoints.json")
        )
        #expect(endpoints.subscriptionId == "sub1")
        #expect(endpoints.regions == ["westus", "eastus"])
        #expect(!endpoints.description.contains("s1,"))
        #expect(environment.resourceManagerScope == "https://127.0.0.1:8443/.default")
        #expect(environment.extraTrustedCAPEM?.contains("BEGIN CERTIFICATE") == true)
        #expect(
            environment.storageEndpoint(account: "acct", service: .blob)?.absoluteString
                == "https://127.0.0.1:8443/acct/"
        )
    }

    @Test func missingEndpointsFileNamesThePath() {
        do {
            _ = try AzureEnvironment.localCloud(endpointsFile: URL(fileURLWithPath: "/nonexistent/endpoints.json"))
            Issue.record("expected an error")
        } catch let error as AzureError {
            #expect(error.code == .configuration)
            #expect(error.description.contains("/nonexistent/endpoints.json"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
