"""Blob data plane through azure-storage-blob: upload/download, ranges, MD5, listing, SAS, tiers, conditions."""

import datetime
import hashlib
import os

import pytest
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceModifiedError
from azure.storage.blob import (
    BlobSasPermissions,
    BlobServiceClient,
    ContainerSasPermissions,
    ResourceTypes,
    AccountSasPermissions,
    generate_account_sas,
    generate_blob_sas,
    generate_container_sas,
)


@pytest.fixture(scope="module")
def account(cloud):
    return cloud.new_account()


@pytest.fixture
def service(cloud, account):
    name, key = account
    return BlobServiceClient(
        cloud.blob_endpoint(name),
        credential={"account_name": name, "account_key": key},
        connection_verify=cloud.ca,
        max_single_put_size=4 * 1024 * 1024,
        max_block_size=4 * 1024 * 1024,
    )


def test_upload_download_and_ranges(service):
    container = service.create_container("data")
    payload = os.urandom(9 * 1024 * 1024 + 123)
    container.upload_blob("big.bin", payload)
    blob = container.get_blob_client("big.bin")
    assert blob.download_blob().readall() == payload
    assert blob.download_blob(offset=5_000_000, length=1_000_000).readall() == payload[5_000_000:6_000_000]
    properties = blob.get_blob_properties()
    assert properties.size == len(payload)
    assert properties.blob_type == "BlockBlob"
    small = container.upload_blob("small.txt", b"hello", validate_content=True)
    assert small.download_blob(validate_content=True).readall() == b"hello"
    assert small.get_blob_properties().etag


def test_md5_mismatch_is_refused(service):
    from azure.storage.blob import ContentSettings

    container = service.get_container_client("data")
    if not container.exists():
        container.create_container()
    wrong = hashlib.md5(b"something else").digest()
    with pytest.raises(HttpResponseError) as failure:
        container.get_blob_client("md5.bin")._client.block_blob.upload(
            body=b"actual content", content_length=14, transactional_content_md5=wrong
        )
    assert failure.value.response.headers["x-ms-error-code"] == "Md5Mismatch"
    assert failure.value.status_code == 400
    container.upload_blob("md5-ok.bin", b"abc", content_settings=ContentSettings(content_md5=hashlib.md5(b"abc").digest()))


def test_list_with_prefix_delimiter_and_paging(service):
    container = service.create_container("listing")
    for index in range(12):
        container.upload_blob(f"dir{index % 3}/file{index:02}.txt", b"x")
    container.upload_blob("top.txt", b"y")
    pages = container.list_blobs(results_per_page=5).by_page()
    names = [blob.name for page in pages for blob in page]
    assert len(names) == 13 and names == sorted(names)
    walked = [item.name for item in container.walk_blobs(delimiter="/")]
    assert walked == ["dir0/", "dir1/", "dir2/", "top.txt"]
    assert len(list(container.list_blobs(name_starts_with="dir1/"))) == 4
    assert "listing" in [c.name for c in service.list_containers()]


def test_sas_permissions_start_and_expiry(cloud, account, service):
    name, key = account
    container = service.create_container("sas")
    container.upload_blob("doc.txt", b"secret")
    now = datetime.datetime.now(datetime.timezone.utc)
    read = generate_blob_sas(name, "sas", "doc.txt", account_key=key, permission=BlobSasPermissions(read=True), expiry=now + datetime.timedelta(minutes=5))
    from azure.storage.blob import BlobClient

    url = f"{cloud.blob_endpoint(name)}sas/doc.txt"
    assert BlobClient.from_blob_url(f"{url}?{read}", connection_verify=cloud.ca).download_blob().readall() == b"secret"
    with pytest.raises(HttpResponseError) as failure:
        BlobClient.from_blob_url(f"{url}?{read}", connection_verify=cloud.ca).delete_blob()
    assert failure.value.error_code == "AuthorizationPermissionMismatch"
    expired = generate_blob_sas(name, "sas", "doc.txt", account_key=key, permission=BlobSasPermissions(read=True), expiry=now - datetime.timedelta(minutes=1))
    with pytest.raises(HttpResponseError) as failure:
        BlobClient.from_blob_url(f"{url}?{expired}", connection_verify=cloud.ca).download_blob().readall()
    assert failure.value.error_code == "AuthenticationFailed"
    future = generate_blob_sas(name, "sas", "doc.txt", account_key=key, permission=BlobSasPermissions(read=True), start=now + datetime.timedelta(hours=1), expiry=now + datetime.timedelta(hours=2))
    with pytest.raises(HttpResponseError) as failure:
        BlobClient.from_blob_url(f"{url}?{future}", connection_verify=cloud.ca).download_blob().readall()
    assert failure.value.error_code == "AuthenticationFailed"
    container_sas = generate_container_sas(name, "sas", account_key=key, permission=ContainerSasPermissions(read=True, list=True, write=True, create=True), expiry=now + datetime.timedelta(minutes=5))
    from azure.storage.blob import ContainerClient

    scoped = ContainerClient.from_container_url(f"{cloud.blob_endpoint(name)}sas?{container_sas}", connection_verify=cloud.ca)
    scoped.upload_blob("via-sas.txt", b"ok")
    assert sorted(b.name for b in scoped.list_blobs()) == ["doc.txt", "via-sas.txt"]
    other_blob = BlobClient.from_blob_url(f"{cloud.blob_endpoint(name)}sas/via-sas.txt?{read}", connection_verify=cloud.ca)
    with pytest.raises(HttpResponseError) as failure:
        other_blob.download_blob().readall()
    assert failure.value.status_code == 403
    account_sas = generate_account_sas(name, key, resource_types=ResourceTypes(object=True), permission=AccountSasPermissions(read=True), expiry=now + datetime.timedelta(minutes=5))
    assert BlobClient.from_blob_url(f"{url}?{account_sas}", connection_verify=cloud.ca).download_blob().readall() == b"secret"
    with pytest.raises(HttpResponseError) as failure:
        ContainerClient.from_container_url(f"{cloud.blob_endpoint(name)}sas?{account_sas}", connection_verify=cloud.ca).create_container()
    assert failure.value.error_code in ("AuthorizationResourceTypeMismatch", "AuthorizationPermissionMismatch")


def test_conditional_headers(service):
    from azure.core import MatchConditions

    container = service.create_container("conditions")
    blob = container.get_blob_client("c.txt")
    first = blob.upload_blob(b"one")
    with pytest.raises(ResourceExistsError):
        blob.upload_blob(b"two", overwrite=False)
    with pytest.raises(ResourceModifiedError):
        blob.upload_blob(b"three", overwrite=True, etag='"0x1"', match_condition=MatchConditions.IfNotModified)
    blob.upload_blob(b"four", overwrite=True, etag=first["etag"], match_condition=MatchConditions.IfNotModified)
    assert blob.download_blob().readall() == b"four"


def test_archive_tier_and_rehydrate(service):
    import time

    container = service.create_container("tiers")
    blob = container.get_blob_client("cold.bin")
    blob.upload_blob(b"frozen")
    blob.set_standard_blob_tier("Archive")
    assert blob.get_blob_properties().blob_tier == "Archive"
    with pytest.raises(HttpResponseError) as failure:
        blob.download_blob().readall()
    assert failure.value.error_code == "BlobArchived"
    blob.set_standard_blob_tier("Hot")
    assert blob.get_blob_properties().archive_status == "rehydrate-pending-to-hot"
    time.sleep(2.5)
    properties = blob.get_blob_properties()
    assert properties.blob_tier == "Hot" and properties.archive_status is None
    assert blob.download_blob().readall() == b"frozen"


def test_entra_bearer_tokens_work_on_the_data_plane(cloud, account):
    name, _ = account
    service = BlobServiceClient(cloud.blob_endpoint(name), credential=cloud.credential(), connection_verify=cloud.ca)
    container = service.create_container("bearer")
    container.upload_blob("t.txt", b"token")
    assert container.get_blob_client("t.txt").download_blob().readall() == b"token"
