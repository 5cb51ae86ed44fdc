"""Tokens: azure-identity's ClientSecretCredential (MSAL) against the Entra-ID-shaped endpoints."""

import base64
import json

import pytest
import requests
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError


def test_client_secret_credential_gets_a_token(cloud):
    token = cloud.credential().get_token(cloud.endpoints["tokenScope"])
    assert token.token.count(".") == 2
    claims = json.loads(base64.urlsafe_b64decode(token.token.split(".")[1] + "=="))
    assert claims["tid"] == cloud.endpoints["tenantId"]
    assert claims["aud"] == "https://management.azure.com/"


def test_wrong_secret_is_refused(cloud):
    with pytest.raises(ClientAuthenticationError) as failure:
        cloud.credential(secret="not-the-secret").get_token(cloud.endpoints["tokenScope"])
    assert "AADSTS7000215" in str(failure.value)


def test_discovery_document(cloud):
    url = f"{cloud.endpoints['authorityHost']}/{cloud.endpoints['tenantId']}/v2.0/.well-known/openid-configuration"
    document = requests.get(url, verify=cloud.ca, timeout=10).json()
    assert document["token_endpoint"].endswith("/oauth2/v2.0/token")
    keys = requests.get(document["jwks_uri"], verify=cloud.ca, timeout=10).json()
    assert keys["keys"][0]["kty"] == "EC"


def test_arm_refuses_missing_and_forged_tokens(cloud):
    url = f"{cloud.base}/subscriptions/{cloud.subscription_id}/resourcegroups?api-version=2021-04-01"
    missing = requests.get(url, verify=cloud.ca, timeout=10)
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "AuthenticationFailed"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    token = cloud.credential().get_token(cloud.endpoints["tokenScope"]).token
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["exp"] += 86400
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    forged = requests.get(url, headers={"Authorization": f"Bearer {header}.{forged_payload}.{signature}"}, verify=cloud.ca, timeout=10)
    assert forged.status_code == 401
    assert forged.json()["error"]["code"] == "InvalidAuthenticationToken"


def test_sdk_surfaces_arm_auth_errors(cloud):
    from azure.core.credentials import AccessToken
    try:
        from azure.mgmt.resource import ResourceManagementClient
    except ImportError:
        from azure.mgmt.resource.resources import ResourceManagementClient

    class Forged:
        def get_token(self, *scopes, **kwargs):
            return AccessToken("a.b.c", 9999999999)

    client = ResourceManagementClient(Forged(), cloud.subscription_id, **{k: v for k, v in cloud.mgmt_kwargs().items()})
    with pytest.raises(HttpResponseError) as failure:
        list(client.resource_groups.list())
    assert failure.value.status_code == 401
    assert failure.value.error.code == "InvalidAuthenticationToken"
