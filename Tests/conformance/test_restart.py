"""A restart of LocalCloud in the middle of a long-running operation: azure-mgmt-storage resumes polling it from
its continuation token and gets the final result; SIGTERM ends the server cleanly."""

import time
import uuid

from conftest import Cloud

HOLD_CREATES = {
    "rules": [
        {"service": "arm", "operation": "PUT storageAccounts", "kind": "delayLRO", "latencyMs": 3600000},
    ]
}


def test_storage_account_creation_survives_a_restart(server):
    # A long Retry-After keeps the first poller waiting: the restarted server answers the resumed one.
    cloud = Cloud(server.data, server.start(retry_after=600))
    cloud.resource_client().resource_groups.create_or_update("restart", {"location": "westeurope"})
    cloud.admin("PUT", "faults", HOLD_CREATES)
    name = "rs" + uuid.uuid4().hex[:12]
    body = {"location": "westeurope", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}}
    poller = cloud.storage_client().storage_accounts.begin_create("restart", name, body)
    token = poller.continuation_token()
    creating = cloud.storage_client().storage_accounts.get_properties("restart", name)
    assert creating.provisioning_state == "Creating"
    assert not poller.done()
    # The SDK's pooled keep-alive connection must not hold SIGTERM up: it used to wait 5 s for the client's TLS
    # close_notify; a prompt exit takes a fraction of a second, so this bound leaves a wide margin.
    stopping = time.monotonic()
    assert server.stop() == 0
    assert time.monotonic() - stopping < 4.5

    restarted = Cloud(server.data, server.start())
    assert restarted.base == cloud.base
    storage = restarted.storage_client()
    account = storage.storage_accounts.begin_create("restart", name, body, continuation_token=token).result()
    assert account.provisioning_state == "Succeeded"
    assert storage.storage_accounts.get_properties("restart", name).provisioning_state == "Succeeded"
    keys = storage.storage_accounts.list_keys("restart", name)["keys"]
    assert len(keys) == 2
