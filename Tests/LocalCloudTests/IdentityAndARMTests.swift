import AzureKit
import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

@Suite struct IdentityAndARMTests {
    @Test func discoveryDocumentPointsAtTheTokenEndpoint() async throws {
        try await TestCloud.with { cloud in
            let reply = try await cloud.send(
                .GET,
                "\(cloud.endpoints.authorityHost)/\(cloud.endpoints.tenantId)/v2.0/.well-known/openid-configuration"
            )
            #expect(reply.status == 200)
            #expect(
                reply.json?["token_endpoint"]?.stringValue
                    == "\(cloud.endpoints.authorityHost)/\(cloud.endpoints.tenantId)/oauth2/v2.0/token"
            )
        }
    }

    @Test func tokenEndpointRefusesAWrongSecret() async throws {
        try await TestCloud.with { cloud in
            let form =
                "grant_type=client_credentials&client_id=\(cloud.endpoints.clientId)&client_secret=nope&scope=https%3A%2F%2Fmanagement.azure.com%2F.default"
            let reply = try await cloud.send(
                .POST,
                "\(cloud.endpoints.authorityHost)/\(cloud.endpoints.tenantId)/oauth2/v2.0/token",
                headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Array(form.utf8)
            )
            #expect(reply.status == 401)
            #expect(reply.json?["error"]?.stringValue == "invalid_client")
        }
    }

    @Test func armRejectsMissingAndForgedTokens() async throws {
        try await TestCloud.with { cloud in
            let path = "subscriptions/\(cloud.endpoints.subscriptionId)/resourcegroups?api-version=2021-04-01"
            let missing = try await cloud.send(.GET, cloud.endpoints.resourceManager + path)
            #expect(missing.status == 401)
            #expect(missing.errorCode == "AuthenticationFailed")
            let token = try await cloud.token()
            var parts = token.split(separator: ".").map(String.init)
            parts[1] = Base64URL.encode(Data(#"{"aud":"https://management.azure.com/","exp":99999999999}"#.utf8))
            let forged = try await cloud.send(
                .GET,
                cloud.endpoints.resourceManager + path,
                headers: [("Authorization", "Bearer \(parts.joined(separator: "."))")]
            )
            #expect(forged.status == 401)
            #expect(forged.errorCode == "InvalidAuthenticationToken")
            let storageToken = try await cloud.token(scope: "https://storage.azure.com/.default")
            let wrongAudience = try await cloud.send(
                .GET,
                cloud.endpoints.resourceManager + path,
                headers: [("Authorization", "Bearer \(storageToken)")]
            )
            #expect(wrongAudience.errorCode == "InvalidAuthenticationTokenAudience")
        }
    }

    @Test func expiredTokensAreRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("issuer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let issuer = try TokenIssuer(directory: folder)
        let issued = try issuer.issue(
            clientID: "c",
            tenantID: "t",
            audience: "https://management.azure.com/",
            now: Date().addingTimeInterval(-7200)
        )
        let result = issuer.verify(issued.token, audiences: ["https://management.azure.com/"])
        guard case .failure(.expired) = result else {
            Issue.record("expected an expired token, got \(result)")
            return
        }
    }

    @Test func apiVersionIsRequiredAndChecked() async throws {
        try await TestCloud.with { cloud in
            let path = "/subscriptions/\(cloud.endpoints.subscriptionId)/resourcegroups"
            let missing = try await cloud.arm(.GET, path, apiVersion: nil)
            #expect(missing.status == 400)
            #expect(missing.errorCode == "MissingApiVersionParameter")
            let invalid = try await cloud.arm(.GET, path, apiVersion: "yesterday")
            #expect(invalid.errorCode == "InvalidApiVersionParameter")
        }
    }

    @Test func resourceGroupsAndStorageAccountsLifecycle() async throws {
        try await TestCloud.with { cloud in
            let sub = cloud.endpoints.subscriptionId
            let missingGroup = try await cloud.arm(
                .GET,
                "/subscriptions/\(sub)/resourcegroups/nothere",
                apiVersion: "2021-04-01"
            )
            #expect(missingGroup.status == 404)
            #expect(missingGroup.errorCode == "ResourceGroupNotFound")
            _ = try await cloud.makeAccount("lifecycle1")
            let accountPath =
                "/subscriptions/\(sub)/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/lifecycle1"
            let account = try await cloud.arm(.GET, accountPath)
            #expect(account.json?["properties"]?["provisioningState"]?.stringValue == "Succeeded")
            #expect(
                account.json?["properties"]?["primaryEndpoints"]?["blob"]?.stringValue
                    == "\(cloud.endpoints.authorityHost)/lifecycle1/"
            )
            let taken = try await cloud.arm(
                .PUT,
                "/subscriptions/\(sub)/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/Bad-Name",
                body: ["location": "westeurope", "sku": ["name": "Standard_LRS"]]
            )
            #expect(taken.errorCode == "AccountNameInvalid")
            let deletion = try await cloud.arm(
                .DELETE,
                "/subscriptions/\(sub)/resourcegroups/rg1",
                apiVersion: "2021-04-01"
            )
            #expect(deletion.status == 202)
            let location = try #require(deletion.header("location"))
            #expect(try await cloud.poll(location).status == 200)
            let gone = try await cloud.arm(.GET, accountPath)
            #expect(gone.errorCode == "ResourceGroupNotFound")
            #expect(cloud.cloud.services.storageAccount(named: "lifecycle1") == nil)
        }
    }

    @Test func listsPageWithNextLink() async throws {
        try await TestCloud.with { cloud in
            let sub = cloud.endpoints.subscriptionId
            let token = try await cloud.token()
            for index in 0..<105 {
                _ = try await cloud.arm(
                    .PUT,
                    "/subscriptions/\(sub)/resourcegroups/group\(index)",
                    apiVersion: "2021-04-01",
                    body: ["location": "eastus"],
                    token: token
                )
            }
            let first = try await cloud.arm(
                .GET,
                "/subscriptions/\(sub)/resourcegroups",
                apiVersion: "2021-04-01",
                token: token
            )
            #expect(first.json?["value"]?.arrayValue?.count == 100)
            let next = try #require(first.json?["nextLink"]?.stringValue)
            let second = try await cloud.send(.GET, next, headers: [("Authorization", "Bearer \(token)")])
            #expect(second.json?["value"]?.arrayValue?.count == 5)
            #expect(second.json?["nextLink"] == nil)
        }
    }
}
