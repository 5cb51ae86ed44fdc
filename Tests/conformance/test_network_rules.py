"""Public network access: an account with publicNetworkAccess Disabled refuses its public endpoint."""

import pytest
from azure.core.exceptions import HttpResponseError
from azure.storage.blob import BlobServiceClient
from azure.storage.queue import QueueServiceClient


def test_public_access_disabled_is_refused(cloud):
    name, key = cloud.new_account(public_network_access="Disabled")
    blob = BlobServiceClient(cloud.blob_endpoint(name), credential={"account_name": name, "account_key": key}, connection_verify=cloud.ca)
    with pytest.raises(HttpResponseError) as failure:
        blob.create_container("nope")
    assert failure.value.status_code == 403
    assert failure.value.error_code == "AuthorizationFailure"
    queue = QueueServiceClient(cloud.queue_endpoint(name), credential={"account_name": name, "account_key": key}, connection_verify=cloud.ca)
    with pytest.raises(HttpResponseError) as failure:
        queue.create_queue("nope")
    assert failure.value.error_code == "AuthorizationFailure"


def test_enabling_public_access_again_lets_requests_in(cloud):
    name, key = cloud.new_account(public_network_access="Disabled")
    cloud.storage_client().storage_accounts.update("conformance", name, {"properties": {"publicNetworkAccess": "Enabled"}})
    blob = BlobServiceClient(cloud.blob_endpoint(name), credential={"account_name": name, "account_key": key}, connection_verify=cloud.ca)
    blob.create_container("yes")
    assert [c.name for c in blob.list_containers()] == ["yes"]
