"""Access tiers through azure-storage-blob: writing straight into Archive, as archive repositories do."""

import pytest
from azure.core.exceptions import HttpResponseError
from azure.storage.blob import BlobBlock, BlobServiceClient, StandardBlobTier


@pytest.fixture(scope="module")
def container(cloud):
    name, key = cloud.new_account()
    service = BlobServiceClient(
        cloud.blob_endpoint(name),
        credential={"account_name": name, "account_key": key},
        connection_verify=cloud.ca,
    )
    return service.create_container("archive")


def test_put_blob_into_archive_tier_answers_blob_archived_on_read(container):
    blob = container.get_blob_client("packs/aa/data")
    blob.upload_blob(b"sealed pack bytes", standard_blob_tier=StandardBlobTier.ARCHIVE)
    properties = blob.get_blob_properties()
    assert properties.blob_tier == "Archive"
    assert not properties.blob_tier_inferred
    assert properties.size == len(b"sealed pack bytes")
    for read in (lambda: blob.download_blob().readall(), lambda: blob.download_blob(offset=2, length=4).readall()):
        with pytest.raises(HttpResponseError) as failure:
            read()
        assert failure.value.status_code == 409
        assert failure.value.error_code == "BlobArchived"


def test_put_block_list_into_archive_tier(container):
    blob = container.get_blob_client("packs/bb/large")
    blob.stage_block("YQ==", b"a" * 1000)
    blob.stage_block("Yg==", b"b" * 1000)
    blob.commit_block_list([BlobBlock("YQ=="), BlobBlock("Yg==")], standard_blob_tier=StandardBlobTier.ARCHIVE)
    assert blob.get_blob_properties().blob_tier == "Archive"
    with pytest.raises(HttpResponseError) as failure:
        blob.download_blob().readall()
    assert failure.value.error_code == "BlobArchived"


def test_listing_reports_each_blob_tier(container):
    container.get_blob_client("index/online").upload_blob(b"index")
    tiers = {blob.name: (blob.blob_tier, blob.blob_tier_inferred) for blob in container.list_blobs()}
    assert tiers["packs/aa/data"][0] == "Archive"
    assert tiers["index/online"] == ("Hot", True)
    assert container.get_blob_client("index/online").download_blob().readall() == b"index"


def test_set_tier_out_of_archive_starts_a_rehydration(container):
    blob = container.get_blob_client("packs/cc/data")
    blob.upload_blob(b"x" * 10, standard_blob_tier=StandardBlobTier.ARCHIVE)
    blob.set_standard_blob_tier(StandardBlobTier.COOL)
    properties = blob.get_blob_properties()
    assert properties.blob_tier == "Archive"
    assert properties.archive_status == "rehydrate-pending-to-cool"


def test_an_unknown_tier_is_refused(container):
    with pytest.raises(HttpResponseError) as failure:
        # The SDK only sends tiers it knows, so the unknown one goes in as a raw header.
        container.get_blob_client("bad").upload_blob(b"x", headers={"x-ms-access-tier": "Frozen"})
    assert failure.value.status_code == 400
