"""ARM: api-version, resource groups, paging, cascading delete."""

import uuid

import pytest
import requests
from azure.core.exceptions import ResourceNotFoundError


def test_api_version_is_required(cloud):
    token = cloud.credential().get_token(cloud.endpoints["tokenScope"]).token
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{cloud.base}/subscriptions/{cloud.subscription_id}/resourcegroups"
    missing = requests.get(url, headers=headers, verify=cloud.ca, timeout=10)
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "MissingApiVersionParameter"
    invalid = requests.get(url + "?api-version=latest", headers=headers, verify=cloud.ca, timeout=10)
    assert invalid.json()["error"]["code"] == "InvalidApiVersionParameter"


def test_resource_group_lifecycle(cloud):
    client = cloud.resource_client()
    name = "rg-" + uuid.uuid4().hex[:8]
    created = client.resource_groups.create_or_update(name, {"location": "northeurope", "tags": {"owner": "nimbus"}})
    assert created.properties.provisioning_state == "Succeeded"
    assert client.resource_groups.check_existence(name)
    assert client.resource_groups.get(name).tags == {"owner": "nimbus"}
    client.resource_groups.begin_delete(name).result()
    assert not client.resource_groups.check_existence(name)
    with pytest.raises(ResourceNotFoundError) as failure:
        client.resource_groups.get(name)
    assert failure.value.error.code == "ResourceGroupNotFound"


def test_lists_follow_next_link(cloud):
    client = cloud.resource_client()
    prefix = "page-" + uuid.uuid4().hex[:6]
    for index in range(105):
        client.resource_groups.create_or_update(f"{prefix}-{index}", {"location": "eastus"})
    names = [group.name for group in client.resource_groups.list() if group.name.startswith(prefix)]
    assert len(names) == 105


def test_deleting_a_group_deletes_its_storage_accounts(cloud):
    group = "cascade-" + uuid.uuid4().hex[:6]
    name, _ = cloud.new_account(group=group)
    cloud.resource_client().resource_groups.begin_delete(group).result()
    assert cloud.storage_client().storage_accounts.check_name_availability({"name": name}).name_available
