import AzureKit
import Foundation
import NIOHTTP1
import Synchronization
import Testing

@Suite struct CredentialTests {
    @Test func clientSecretTokenIsCachedAndSharedByConcurrentCallers() async throws {
        try await TestHTTPServer.Handling({ _, index in
            try? await Task.sleep(for: .milliseconds(100))
            return TestResponse(
                text: #"{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"tok-\#(index)"}"#
            )
        }).run { server in
            try await withTestClient { client in
                let credential = ClientSecretCredential(
                    tenantID: "tenant1",
                    clientID: "client1",
                    clientSecret: "s3cr3t",
                    authorityHost: URL(string: server.baseURL + "/")!,
                    client: client
                )
                let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            try await credential.token(
                                scope: "https://management.azure.com/.default",
                                logger: testLogger
                            ).token
                        }
                    }
                    return try await group.reduce(into: [String]()) { $0.append($1) }
                }
                #expect(Set(tokens) == ["tok-0"])
                #expect(!credential.description.contains("s3cr3t"))
            }
            #expect(server.requests.count == 1)
            let request = try #require(server.requests.first)
            #expect(request.uri == "/tenant1/oauth2/v2.0/token")
            let form = String(decoding: request.body, as: UTF8.self)
            #expect(form.contains("grant_type=client_credentials"))
            #expect(form.contains("scope=https%3A%2F%2Fmanagement.azure.com%2F.default"))
            #expect(request.headers.first(name: "Content-Type") == "application/x-www-form-urlencoded")
        }
    }

    @Test func tokenIsRefreshedBeforeExpiry() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_700_000_000))
        try await TestHTTPServer.Handling({ _, index in
            TestResponse(text: #"{"token_type":"Bearer","expires_in":600,"access_token":"tok-\#(index)"}"#)
        }).run { server in
            try await withTestClient { client in
                let credential = ClientSecretCredential(
                    tenantID: "t",
                    clientID: "c",
                    clientSecret: "s",
                    authorityHost: URL(string: server.baseURL)!,
                    client: client,
                    now: { clock.withLock { $0 } }
                )
                let first = try await credential.token(scope: "x", logger: testLogger).token
                #expect(first == "tok-0")
                clock.withLock { $0 += 200 }
                let second = try await credential.token(scope: "x", logger: testLogger).token
                #expect(second == "tok-0")
                clock.withLock { $0 += 150 }  // 250 s left, inside the 5-minute margin
                let third = try await credential.token(scope: "x", logger: testLogger).token
                #expect(third == "tok-1")
            }
        }
    }

    @Test func rejectedSecretIsAnAuthenticationError() async throws {
        try await TestHTTPServer.Handling({ _, _ in
            TestResponse(
                status: .unauthorized,
                text:
                    #"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]}"#
            )
        }).run { server in
            try await withTestClient { client in
                let credential = ClientSecretCredential(
                    tenantID: "t",
                    clientID: "c",
                    clientSecret: "wrong-secret",
                    authorityHost: URL(string: server.baseURL)!,
                    client: client
                )
                let error = await #expect(throws: AzureError.self) {
                    _ = try await credential.token(scope: "x", logger: testLogger)
                }
                #expect(error?.code == .authentication)
                #expect(error?.azureCode == "invalid_client")
                #expect(error?.description.contains("wrong-secret") == false)
            }
        }
    }

    @Test func managedIdentityParsesStringNumbersAndSendsMetadataHeader() async throws {
        try await TestHTTPServer.Handling({ _, _ in
            TestResponse(
                text:
                    #"{"access_token":"mi-token","refresh_token":"","expires_in":"3599","expires_on":"1506484173","not_before":"1506480273","resource":"https://management.azure.com/","token_type":"Bearer"}"#
            )
        }).run { server in
            try await withTestClient { client in
                let credential = ManagedIdentityCredential(
                    identity: .clientID("cid"),
                    endpoint: URL(string: server.baseURL)!,
                    client: client
                )
                let token = try await credential.token(
                    scope: "https://management.azure.com/.default",
                    logger: testLogger
                )
                #expect(token.token == "mi-token")
                #expect(token.expiresOn > Date().addingTimeInterval(3000))
            }
            let request = try #require(server.requests.first)
            #expect(request.headers.first(name: "Metadata") == "true")
            #expect(request.path == "/metadata/identity/oauth2/token")
            #expect(
                request.query == "api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F&client_id=cid"
            )
        }
    }

    /// IMDS answers 410 while it is updated and 404 while it starts; Microsoft's "How to use
    /// managed identities for Azure resources on an Azure VM to acquire an access token" (Retry
    /// guidance) says to retry both. The request is IMDS's v1 form: `api-version=2018-02-01`,
    /// `resource` (not `scope`) and `Metadata: true`.
    @Test func managedIdentityRetriesWhileIMDSStartsOrUpdates() async throws {
        let sleeper = SleepRecorder()
        try await TestHTTPServer.Handling({ _, index in
            switch index {
            case 0: TestResponse(status: .gone, text: "IMDS is being updated")
            case 1: TestResponse(status: .notFound, text: "")
            default:
                TestResponse(
                    text: #"{"access_token":"mi-after-start","expires_in":"86399","token_type":"Bearer"}"#
                )
            }
        }).run { server in
            try await withTestClient(sleeper: sleeper) { client in
                let credential = ManagedIdentityCredential(endpoint: URL(string: server.baseURL)!, client: client)
                let token = try await credential.token(scope: "https://storage.azure.com/.default", logger: testLogger)
                #expect(token.token == "mi-after-start")
            }
            #expect(server.requests.count == 3)
            #expect(sleeper.recorded == [.seconds(1), .seconds(2)])
            for request in server.requests {
                #expect(request.headers.first(name: "Metadata") == "true")
                #expect(request.query == "api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com%2F")
            }
        }
    }

    @Test func managedIdentityDoesNotRetryABadRequest() async throws {
        try await TestHTTPServer.Handling({ _, _ in
            TestResponse(
                status: .badRequest,
                text: #"{"error":"invalid_request","error_description":"Identity not found"}"#
            )
        }).run { server in
            try await withTestClient { client in
                let credential = ManagedIdentityCredential(
                    identity: .clientID("missing"),
                    endpoint: URL(string: server.baseURL)!,
                    client: client
                )
                let error = await #expect(throws: AzureError.self) {
                    _ = try await credential.token(scope: "https://management.azure.com/.default", logger: testLogger)
                }
                #expect(error?.code == .authentication)
                #expect(error?.azureCode == "invalid_request")
            }
            #expect(server.requests.count == 1)
        }
    }

    /// A refresh inside the five-minute margin that fails keeps the still-valid token; once the
    /// token has expired the failure surfaces.
    @Test func failedEarlyRefreshKeepsTheValidToken() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_700_000_000))
        try await TestHTTPServer.Handling({ _, index in
            index == 0
                ? TestResponse(text: #"{"token_type":"Bearer","expires_in":600,"access_token":"tok-0"}"#)
                : TestResponse(status: .serviceUnavailable, text: #"{"error":"temporarily_unavailable"}"#)
        }).run { server in
            try await withTestClient(retryPolicy: .noRetry) { client in
                let credential = ClientSecretCredential(
                    tenantID: "t",
                    clientID: "c",
                    clientSecret: "s",
                    authorityHost: URL(string: server.baseURL)!,
                    client: client,
                    now: { clock.withLock { $0 } }
                )
                let first = try await credential.token(scope: "x", logger: testLogger)
                #expect(first.token == "tok-0")
                clock.withLock { $0 += 400 }  // 200 s left: refresh is due but fails
                let kept = try await credential.token(scope: "x", logger: testLogger)
                #expect(kept.token == "tok-0")
                #expect(server.requests.count == 2)
                clock.withLock { $0 += 300 }  // expired
                await #expect(throws: AzureError.self) {
                    _ = try await credential.token(scope: "x", logger: testLogger)
                }
            }
        }
    }
}
