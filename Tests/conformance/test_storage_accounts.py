"""Microsoft.Storage/storageAccounts through azure-mgmt-storage: LRO create, get, update, keys, delete."""

import uuid

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError


def test_create_update_keys_delete(cloud):
    resources = cloud.resource_client()
    resources.resource_groups.create_or_update("accounts", {"location": "westeurope"})
    storage = cloud.storage_client()
    name = "sa" + uuid.uuid4().hex[:10]
    poller = storage.storage_accounts.begin_create(
        "accounts",
        name,
        {"location": "westeurope", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "tags": {"nimbus": "1"}},
    )
    account = poller.result()
    assert account.provisioning_state == "Succeeded"
    assert account.primary_endpoints.blob == cloud.blob_endpoint(name)
    assert account.primary_endpoints.queue == cloud.queue_endpoint(name)
    assert account.tags == {"nimbus": "1"}
    updated = storage.storage_accounts.update("accounts", name, {"properties": {"publicNetworkAccess": "Disabled"}, "tags": {"a": "b"}})
    assert updated.public_network_access == "Disabled"
    assert updated.tags == {"a": "b"}
    keys = storage.storage_accounts.list_keys("accounts", name)["keys"]
    assert [key.key_name for key in keys] == ["key1", "key2"]
    regenerated = storage.storage_accounts.regenerate_key("accounts", name, {"keyName": "key2"})["keys"]
    assert regenerated[1].value != keys[1].value and regenerated[0].value == keys[0].value
    assert name in [a.name for a in storage.storage_accounts.list_by_resource_group("accounts")]
    assert not storage.storage_accounts.check_name_availability({"name": name}).name_available
    storage.storage_accounts.delete("accounts", name)
    with pytest.raises(ResourceNotFoundError):
        storage.storage_accounts.get_properties("accounts", name)


def test_invalid_names_and_regions_are_refused(cloud):
    cloud.resource_client().resource_groups.create_or_update("accounts", {"location": "westeurope"})
    storage = cloud.storage_client()
    with pytest.raises(HttpResponseError) as failure:
        storage.storage_accounts.begin_create(
            "accounts", "Not_Valid", {"location": "westeurope", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}}
        ).result()
    assert failure.value.error.code == "AccountNameInvalid"
    with pytest.raises(HttpResponseError) as failure:
        storage.storage_accounts.begin_create(
            "accounts", "sa" + uuid.uuid4().hex[:10], {"location": "moon", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}}
        ).result()
    assert failure.value.status_code == 400
