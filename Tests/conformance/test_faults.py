"""Fault injection through the admin endpoint: throttling with Retry-After is retried by the SDK."""

from azure.storage.blob import BlobServiceClient


def test_throttled_requests_are_retried(cloud):
    name, key = cloud.new_account()
    blob = BlobServiceClient(cloud.blob_endpoint(name), credential={"account_name": name, "account_key": key}, connection_verify=cloud.ca)
    blob.create_container("faulty").upload_blob("a.txt", b"payload")
    cloud.admin("PUT", "faults", {"rules": [{"service": "blob", "account": name, "operation": "GetBlob", "kind": "throttle", "status": 503, "retryAfter": 1, "remaining": 2}]})
    try:
        assert blob.get_blob_client("faulty", "a.txt").download_blob().readall() == b"payload"
        assert cloud.admin("GET", "faults").json()["rules"][0]["remaining"] == 0
    finally:
        cloud.admin("DELETE", "faults")
