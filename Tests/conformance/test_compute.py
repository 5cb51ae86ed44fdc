"""Microsoft's compute, network and blob SDKs against LocalCloud's VMs, disks, snapshots and private endpoints."""

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.compute import models as cm
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network import models as nm
from azure.storage.blob import BlobClient

try:
    from azure.mgmt.resource import ResourceManagementClient
except ImportError:  # azure-mgmt-resource 26 moved the client
    from azure.mgmt.resource.resources import ResourceManagementClient

REGION = "westeurope"
UBUNTU = cm.ImageReference(
    publisher="Canonical", offer="0001-com-ubuntu-server-jammy", sku="22_04-lts-gen2", version="latest"
)


@pytest.fixture
def clients(cloud):
    credential = cloud.credential()
    return (
        ResourceManagementClient(credential, cloud.subscription_id, **cloud.mgmt_kwargs()),
        ComputeManagementClient(credential, cloud.subscription_id, **cloud.mgmt_kwargs()),
        NetworkManagementClient(credential, cloud.subscription_id, **cloud.mgmt_kwargs()),
    )


@pytest.fixture
def group(clients):
    resources, _, _ = clients
    name = "rg-" + uuid.uuid4().hex[:8]
    resources.resource_groups.create_or_update(name, {"location": REGION})
    yield name
    resources.resource_groups.begin_delete(name).result()


def guest_mutate(cloud, disk_id, percent, seed, tmp_path):
    """Changes `percent` of a disk as its guest would, through `nimbus cloud disk mutate`; returns the ranges."""
    binary = os.environ.get("NIMBUS_BIN", str(Path(__file__).resolve().parents[2] / ".build/debug/nimbus"))
    record = tmp_path / f"ranges-{seed}.json"
    subprocess.run(
        [binary, "cloud", "disk", "mutate", "--data", str(cloud.data), "--disk", disk_id,
         "--percent", str(percent), "--seed", str(seed), "--record", str(record)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return [tuple(pair) for pair in json.loads(record.read_text())]


def make_subnet(network, group):
    vnet = network.virtual_networks.begin_create_or_update(
        group,
        "workers",
        nm.VirtualNetwork(
            location=REGION,
            address_space=nm.AddressSpace(address_prefixes=["10.20.0.0/16"]),
            subnets=[nm.Subnet(name="workers", address_prefix="10.20.1.0/24")],
        ),
    ).result()
    assert vnet.provisioning_state == "Succeeded"
    return vnet.subnets[0]


def make_vm(compute, network, group, subnet, name="worker"):
    nic = network.network_interfaces.begin_create_or_update(
        group,
        name + "-nic",
        nm.NetworkInterface(
            location=REGION,
            ip_configurations=[nm.NetworkInterfaceIPConfiguration(name="ipconfig1", subnet=nm.Subnet(id=subnet.id))],
        ),
    ).result()
    assert nic.ip_configurations[0].private_ip_address.startswith("10.20.1.")
    return compute.virtual_machines.begin_create_or_update(
        group,
        name,
        cm.VirtualMachine(
            location=REGION,
            hardware_profile=cm.HardwareProfile(vm_size="Standard_D2s_v5"),
            storage_profile=cm.StorageProfile(
                image_reference=UBUNTU,
                os_disk=cm.OSDisk(create_option="FromImage", delete_option="Delete"),
            ),
            os_profile=cm.OSProfile(computer_name=name, admin_username="azureuser", admin_password="Pa55-word-1!"),
            network_profile=cm.NetworkProfile(network_interfaces=[cm.NetworkInterfaceReference(id=nic.id, primary=True)]),
        ),
    ).result()


def power_state(compute, group, name):
    return [s.code for s in compute.virtual_machines.instance_view(group, name).statuses][-1]


def test_vm_run_command_and_deallocate(clients, group):
    _, compute, network = clients
    vm = make_vm(compute, network, group, make_subnet(network, group))
    assert vm.provisioning_state == "Succeeded"
    assert vm.storage_profile.image_reference.offer == UBUNTU.offer
    assert power_state(compute, group, "worker") == "PowerState/running"

    result = compute.virtual_machines.begin_run_command(
        group,
        "worker",
        cm.RunCommandInput(
            command_id="RunShellScript",
            script=["echo hello $WHO", "exit 0"],
            parameters=[cm.RunCommandInputParameter(name="WHO", value="sdk")],
        ),
    ).result()
    assert result.value[0].code == "ProvisioningState/succeeded"
    assert result.value[0].message.startswith("Enable succeeded: \n[stdout]\nhello sdk\n")

    failed = compute.virtual_machines.begin_run_command(
        group, "worker", cm.RunCommandInput(command_id="RunShellScript", script=["echo oops >&2", "exit 4"])
    ).result()
    assert failed.value[0].code.startswith("ProvisioningState/failed")
    assert "exit status=4" in failed.value[0].message
    assert "[stderr]\noops\n" in failed.value[0].message

    compute.virtual_machines.begin_deallocate(group, "worker").result()
    assert power_state(compute, group, "worker") == "PowerState/deallocated"
    with pytest.raises(HttpResponseError) as refused:
        compute.virtual_machines.begin_run_command(
            group, "worker", cm.RunCommandInput(command_id="RunShellScript", script=["true"])
        ).result()
    assert refused.value.status_code == 409
    compute.virtual_machines.begin_start(group, "worker").result()
    assert power_state(compute, group, "worker") == "PowerState/running"
    compute.virtual_machines.begin_delete(group, "worker").result()


def test_upload_disk_through_write_sas(clients, group):
    _, compute, _ = clients
    size = 32 * 1024 * 1024 + 512
    disk = compute.disks.begin_create_or_update(
        group,
        "upload",
        cm.Disk(location=REGION, creation_data=cm.CreationData(create_option="Upload", upload_size_bytes=size)),
    ).result()
    assert disk.disk_state == "ReadyToUpload"
    sas = compute.disks.begin_grant_access(group, "upload", cm.GrantAccessData(access="Write", duration_in_seconds=600)).result()
    blob = BlobClient.from_blob_url(sas.access_sas)
    blob.upload_page(b"a" * 4096, offset=0, length=4096)
    blob.upload_page(b"b" * 8192, offset=8192, length=8192)
    compute.disks.begin_revoke_access(group, "upload").result()
    assert compute.disks.get(group, "upload").disk_state == "Unattached"
    read = compute.disks.begin_grant_access(group, "upload", cm.GrantAccessData(access="Read", duration_in_seconds=600)).result()
    reader = BlobClient.from_blob_url(read.access_sas)
    assert reader.get_blob_properties().size == size
    assert reader.download_blob(offset=8192, length=8192).readall() == b"b" * 8192
    pages = list(reader.list_page_ranges())
    assert [(r.start, r.end, r.cleared) for r in pages] == [(0, 4095, False), (8192, 16383, False)]


def snapshot_of(disk_id, tags=None):
    return cm.Snapshot(
        location=REGION,
        creation_data=cm.CreationData(create_option="Copy", source_resource_id=disk_id),
        incremental=True,
        tags=tags,
    )


def test_snapshot_diff_matches_guest_writes(clients, group, cloud, tmp_path):
    _, compute, _ = clients
    disk = compute.disks.begin_create_or_update(
        group, "data", cm.Disk(location=REGION, creation_data=cm.CreationData(create_option="Empty"), disk_size_gb=1)
    ).result()
    assert disk.disk_size_bytes == 1024**3
    guest_mutate(cloud, disk.id, 2, 11, tmp_path)
    first = compute.snapshots.begin_create_or_update(group, "snap1", snapshot_of(disk.id, {"nimbus-set": "x" * 256})).result()
    assert first.incremental and first.provisioning_state == "Succeeded"
    changed = guest_mutate(cloud, disk.id, 1, 12, tmp_path)
    second = compute.snapshots.begin_create_or_update(group, "snap2", snapshot_of(disk.id)).result()
    assert second.incremental_snapshot_family_id == first.incremental_snapshot_family_id

    access = cm.GrantAccessData(access="Read", duration_in_seconds=600)
    sas1 = compute.snapshots.begin_grant_access(group, "snap1", access).result()
    sas2 = compute.snapshots.begin_grant_access(group, "snap2", access).result()
    newer = BlobClient.from_blob_url(sas2.access_sas)
    pages, cleared = newer.get_page_range_diff_for_managed_disk(previous_snapshot_url=sas1.access_sas)
    assert [(r["start"], r["end"] - r["start"] + 1) for r in pages] == changed
    assert cleared == []
    offset, _ = changed[0]
    older = BlobClient.from_blob_url(sas1.access_sas)
    assert newer.download_blob(offset=offset, length=4096).readall() != older.download_blob(offset=offset, length=4096).readall()

    compute.snapshots.begin_revoke_access(group, "snap2").result()
    with pytest.raises(HttpResponseError) as revoked:
        newer.download_blob(offset=0, length=512).readall()
    assert revoked.value.status_code == 403


def test_snapshot_tag_limits(clients, group):
    _, compute, _ = clients
    disk = compute.disks.begin_create_or_update(
        group, "small", cm.Disk(location=REGION, creation_data=cm.CreationData(create_option="Empty"), disk_size_gb=1)
    ).result()
    # ARM's codes, as Azure PowerShell mirrors them (src/Migrate/custom/New-AzMigrateServerReplication.ps1)
    refused = [
        ({f"t{i}": "v" for i in range(51)}, "InvalidTags"),
        ({"k": "v" * 257}, "InvalidTagValueLength"),
        ({"n" * 513: "v"}, "InvalidTagName"),
        ({"a?b": "v"}, "InvalidTagNameCharacters"),
    ]
    for tags, code in refused:
        with pytest.raises(HttpResponseError) as error:
            compute.snapshots.begin_create_or_update(group, "bad", snapshot_of(disk.id, tags)).result()
        assert error.value.status_code == 400
        assert error.value.error.code == code
    fifty = {f"t{i}": "v" * 256 for i in range(50)}
    assert compute.snapshots.begin_create_or_update(group, "good", snapshot_of(disk.id, fifty)).result().tags == fifty


def test_private_disk_refused_outside_its_private_endpoint(clients, group):
    _, compute, network = clients
    subnet = make_subnet(network, group)
    access = compute.disk_accesses.begin_create_or_update(group, "da", cm.DiskAccess(location=REGION)).result()
    disk = compute.disks.begin_create_or_update(
        group,
        "private",
        cm.Disk(
            location=REGION,
            creation_data=cm.CreationData(create_option="Empty"),
            disk_size_gb=1,
            network_access_policy="AllowPrivate",
            disk_access_id=access.id,
        ),
    ).result()
    assert disk.network_access_policy == "AllowPrivate"
    sas = compute.disks.begin_grant_access(group, "private", cm.GrantAccessData(access="Read", duration_in_seconds=600)).result()
    with pytest.raises(HttpResponseError) as refused:
        BlobClient.from_blob_url(sas.access_sas).get_blob_properties()
    assert refused.value.status_code == 403
    assert refused.value.error_code == "AuthorizationFailure"

    endpoint = network.private_endpoints.begin_create_or_update(
        group,
        "pe-disks",
        nm.PrivateEndpoint(
            location=REGION,
            subnet=nm.Subnet(id=subnet.id),
            private_link_service_connections=[
                nm.PrivateLinkServiceConnection(name="disks", private_link_service_id=access.id, group_ids=["disks"])
            ],
        ),
    ).result()
    address = endpoint.custom_dns_configs[0].ip_addresses[0]
    assert endpoint.private_link_service_connections[0].private_link_service_connection_state.status == "Approved"
    private_url = sas.access_sas.replace("127.0.0.1", address)
    assert BlobClient.from_blob_url(private_url).get_blob_properties().size == 1024**3 + 512
    connections = compute.disk_accesses.get(group, "da").private_endpoint_connections
    assert [c.private_endpoint.id for c in connections] == [endpoint.id]
    network.private_endpoints.begin_delete(group, "pe-disks").result()
    assert compute.disk_accesses.get(group, "da").private_endpoint_connections == []
