import AzureKit
import Testing

@Suite struct RedactionTests {
    @Test func redactsSignatureButKeepsOtherParameters() {
        let text = Redaction.redact("GET https://a.blob.core.windows.net/c/b?sv=2022-11-02&sig=abc%2Bdef%3D&sp=r")
        #expect(text == "GET https://a.blob.core.windows.net/c/b?sv=2022-11-02&sig=REDACTED&sp=r")
    }

    @Test func redactsKeysSecretsAndTokens() {
        #expect(
            Redaction.redact("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0;x=1").contains(
                "AccountKey=REDACTED;"
            )
        )
        #expect(
            Redaction.redact("client_id=1&client_secret=s3cr3t&scope=x") == "client_id=1&client_secret=REDACTED&scope=x"
        )
        #expect(Redaction.redact("Authorization: SharedKey acct:c2lnbmF0dXJl") == "Authorization: SharedKey REDACTED")
        #expect(Redaction.redact("Authorization: Bearer eyJ0eXAi.x.y") == "Authorization: Bearer REDACTED")
        #expect(
            Redaction.redact(#"{"access_token":"eyJ0eXAi","expires_in":3599}"#)
                == #"{"access_token":"REDACTED","expires_in":3599}"#
        )
    }

    @Test func redactsSignatureOfAnEncodedURLInsideAQuery() {
        let text = Redaction.redact(
            "PUT https://a.blob.core.windows.net/c/b?comp=page&src=https%3A%2F%2Fmd-x.blob.storage.azure.net%2Fc%2Fabcd%3Fsv%3D2018-11-09%26sig%3DaBc%252Bd%253D%26sr%3Db&x=1"
        )
        #expect(!text.contains("aBc"))
        #expect(text.contains("%26sig%3DREDACTED%26sr%3Db&x=1"))
        #expect(Redaction.redact("u=https%3A%2F%2Fh%2Fp%3Fsig%3Dzz9") == "u=https%3A%2F%2Fh%2Fp%3Fsig%3DREDACTED")
        #expect(Redaction.redact("design%3Dok") == "design%3Dok")
    }

    @Test func doesNotTouchLookalikeNames() {
        #expect(Redaction.redact("signature=ok&designation=x") == "signature=ok&designation=x")
    }

    @Test func errorDescriptionsAreRedacted() {
        let error = AzureError(
            .service,
            status: 403,
            azureCode: "AuthenticationFailed",
            message: "Signature did not match for https://a.blob.core.windows.net/c?sig=topsecret",
            resource: "GET https://a.blob.core.windows.net/c?sv=1&sig=topsecret"
        )
        #expect(!error.description.contains("topsecret"))
        #expect(error.description.contains("AuthenticationFailed"))
        #expect(error.description.contains("403"))
    }
}
