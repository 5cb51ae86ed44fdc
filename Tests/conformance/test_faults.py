"""Fault injection through the admin endpoint: throttled requests (503 ServerBusy) are retried by the SDK."""

from azure.storage.blob import BlobServiceClient, LinearRetry


def test_throttled_requests_are_retried(cloud):
    name, key = cloud.new_account()
    blob = BlobServiceClient(
        cloud.blob_endpoint(name),
        credential={"account_name": name, "account_key": key},
        connection_verify=cloud.ca,
        retry_policy=LinearRetry(backoff=0.2, random_jitter_range=0),
    )
    blob.create_container("faulty").upload_blob("a.txt", b"payload")
    cloud.admin("PUT", "faults", {"rules": [{"service": "blob", "account": name, "operation": "GetBlob", "kind": "throttle", "status": 503, "retryAfter": 1, "remaining": 2}]})
    try:
        assert blob.get_blob_client("faulty", "a.txt").download_blob().readall() == b"payload"
        assert cloud.admin("GET", "faults").json()["rules"][0]["remaining"] == 0
    finally:
        cloud.admin("DELETE", "faults")


def test_failed_lro_is_reported(cloud):
    import pytest
    from azure.core.exceptions import HttpResponseError

    cloud.resource_client().resource_groups.create_or_update("faults", {"location": "westeurope"})
    rule = {"service": "arm", "account": "Microsoft.Storage", "operation": "PUT storageAccounts", "kind": "failLRO", "remaining": 1}
    cloud.admin("PUT", "faults", {"rules": [rule]})
    try:
        with pytest.raises(HttpResponseError):
            cloud.storage_client().storage_accounts.begin_create(
                "faults", "failing" + name_suffix(), {"location": "westeurope", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}}
            ).result()
    finally:
        cloud.admin("DELETE", "faults")


def name_suffix():
    import uuid

    return uuid.uuid4().hex[:8]
