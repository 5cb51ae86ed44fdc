"""What Microsoft's Azure CLI needs beyond the SDK calls: cloud metadata, platform image lookups, VMs from existing
disks and SAS times without seconds. Checked with the SDKs and plain requests here; test_azure_cli.py runs `az`."""

import datetime
import uuid

import pytest
import requests
from azure.core.exceptions import HttpResponseError
from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.compute import models as cm
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network import models as nm
from azure.storage.blob import BlobClient, BlobSasPermissions, BlobServiceClient, generate_blob_sas

from test_compute import REGION, UBUNTU, make_subnet


def test_cloud_metadata_names_localclouds_endpoints(cloud):
    response = requests.get(f"{cloud.base}/metadata/endpoints?api-version=2022-09-01", verify=cloud.ca, timeout=10)
    assert response.status_code == 200
    document = response.json()
    assert document["resourceManager"] == cloud.endpoints["resourceManager"]
    assert document["authentication"]["loginEndpoint"] == cloud.endpoints["authorityHost"]
    assert "https://management.core.windows.net/" in document["authentication"]["audiences"]
    assert document["suffixes"]["storage"]
    listing = requests.get(f"{cloud.base}/metadata/endpoints?api-version=2019-05-01", verify=cloud.ca, timeout=10)
    assert [c["resourceManager"] for c in listing.json()] == [cloud.endpoints["resourceManager"]]


def test_platform_images_are_listed_and_read(cloud):
    compute = ComputeManagementClient(cloud.credential(), cloud.subscription_id, **cloud.mgmt_kwargs())
    images = compute.virtual_machine_images
    assert "Canonical" in [p.name for p in images.list_publishers(REGION)]
    assert UBUNTU.offer in [o.name for o in images.list_offers(REGION, UBUNTU.publisher)]
    assert UBUNTU.sku in [s.name for s in images.list_skus(REGION, UBUNTU.publisher, UBUNTU.offer)]
    versions = images.list(REGION, UBUNTU.publisher, UBUNTU.offer, UBUNTU.sku, top=1, orderby="name desc")
    assert len(versions) == 1
    image = images.get(REGION, UBUNTU.publisher, UBUNTU.offer, UBUNTU.sku, versions[0].name)
    assert image.os_disk_image.operating_system == "Linux"
    assert image.hyper_v_generation == "V2"
    with pytest.raises(HttpResponseError) as missing:
        images.get(REGION, UBUNTU.publisher, UBUNTU.offer, "no-such-sku", "1.0.0")
    assert missing.value.status_code == 404


def test_vm_from_an_existing_os_disk(cloud):
    credential = cloud.credential()
    compute = ComputeManagementClient(credential, cloud.subscription_id, **cloud.mgmt_kwargs())
    network = NetworkManagementClient(credential, cloud.subscription_id, **cloud.mgmt_kwargs())
    group = "rg-attach-" + uuid.uuid4().hex[:6]
    cloud.resource_client().resource_groups.create_or_update(group, {"location": REGION})
    subnet = make_subnet(network, group)
    disk = compute.disks.begin_create_or_update(
        group,
        "restored-os",
        cm.Disk(location=REGION, creation_data=cm.CreationData(create_option="Empty"), disk_size_gb=1, os_type="Linux"),
    ).result()
    nic = network.network_interfaces.begin_create_or_update(
        group,
        "restored-nic",
        nm.NetworkInterface(
            location=REGION,
            ip_configurations=[nm.NetworkInterfaceIPConfiguration(name="ipconfig1", subnet=nm.Subnet(id=subnet.id))],
        ),
    ).result()
    vm = compute.virtual_machines.begin_create_or_update(
        group,
        "restored",
        cm.VirtualMachine(
            location=REGION,
            hardware_profile=cm.HardwareProfile(vm_size="Standard_D2s_v5"),
            storage_profile=cm.StorageProfile(
                os_disk=cm.OSDisk(
                    create_option="Attach", os_type="Linux", managed_disk=cm.ManagedDiskParameters(id=disk.id)
                )
            ),
            network_profile=cm.NetworkProfile(network_interfaces=[cm.NetworkInterfaceReference(id=nic.id, primary=True)]),
        ),
    ).result()
    assert vm.provisioning_state == "Succeeded"
    assert vm.storage_profile.os_disk.create_option == "Attach"
    assert vm.storage_profile.image_reference is None
    attached = compute.disks.get(group, "restored-os")
    assert attached.disk_state == "Attached"
    assert attached.managed_by.lower() == vm.id.lower()
    compute.virtual_machines.begin_delete(group, "restored").result()
    assert compute.disks.get(group, "restored-os").disk_state == "Unattached"
    cloud.resource_client().resource_groups.begin_delete(group).result()


def test_sas_times_without_seconds_and_dates(cloud):
    name, key = cloud.new_account()
    service = BlobServiceClient(
        cloud.blob_endpoint(name), credential={"account_name": name, "account_key": key}, connection_verify=cloud.ca
    )
    service.create_container("times").upload_blob("doc.txt", b"on time")
    url = f"{cloud.blob_endpoint(name)}times/doc.txt"
    now = datetime.datetime.now(datetime.timezone.utc)
    for start, expiry in [
        (None, (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%MZ")),
        ((now - datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%MZ"), (now + datetime.timedelta(days=2)).strftime("%Y-%m-%d")),
        (None, (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.1234567Z")),
    ]:
        sas = generate_blob_sas(
            name, "times", "doc.txt", account_key=key, permission=BlobSasPermissions(read=True), start=start, expiry=expiry
        )
        assert BlobClient.from_blob_url(f"{url}?{sas}", connection_verify=cloud.ca).download_blob().readall() == b"on time"
    past = (now - datetime.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%MZ")
    expired = generate_blob_sas(name, "times", "doc.txt", account_key=key, permission=BlobSasPermissions(read=True), expiry=past)
    with pytest.raises(HttpResponseError) as failure:
        BlobClient.from_blob_url(f"{url}?{expired}", connection_verify=cloud.ca).download_blob().readall()
    assert failure.value.error_code == "AuthenticationFailed"
