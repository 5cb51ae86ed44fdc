"""Page blobs: create, Put Page update/clear, snapshots and page-range diffs through azure-storage-blob."""

import os

import pytest
from azure.core.exceptions import HttpResponseError
from azure.storage.blob import BlobServiceClient


@pytest.fixture(scope="module")
def pages(cloud):
    name, key = cloud.new_account()
    service = BlobServiceClient(cloud.blob_endpoint(name), credential={"account_name": name, "account_key": key}, connection_verify=cloud.ca)
    return service.create_container("disks")


def test_page_ranges_and_diffs(pages):
    blob = pages.get_blob_client("disk0.vhd")
    blob.create_page_blob(size=16 * 1024 * 1024)
    first_data = os.urandom(4096)
    blob.upload_page(first_data, offset=0, length=4096)
    first = blob.create_snapshot()
    blob.upload_page(b"\x07" * 512, offset=8 * 1024 * 1024, length=512)
    blob.upload_page(b"\x08" * 1024, offset=1024, length=1024)
    blob.clear_page(offset=3072, length=1024)
    second = blob.create_snapshot()
    later = pages.get_blob_client("disk0.vhd", snapshot=second["snapshot"])
    changed, cleared = later.get_page_ranges(previous_snapshot_diff=first["snapshot"])
    assert [(r["start"], r["end"]) for r in changed] == [(1024, 2047), (8 * 1024 * 1024, 8 * 1024 * 1024 + 511)]
    assert [(r["start"], r["end"]) for r in cleared] == [(3072, 4095)]
    full, _ = blob.get_page_ranges()
    assert [(r["start"], r["end"]) for r in full] == [(0, 3071), (8 * 1024 * 1024, 8 * 1024 * 1024 + 511)]
    old = pages.get_blob_client("disk0.vhd", snapshot=first["snapshot"])
    assert old.download_blob(offset=0, length=4096).readall() == first_data
    current = blob.download_blob(offset=0, length=4096).readall()
    assert current[1024:2048] == b"\x08" * 1024 and current[3072:] == b"\x00" * 1024
    diff = [(r.start, r.end, r.cleared) for r in blob.list_page_ranges(previous_snapshot=first["snapshot"])]
    assert diff == [(1024, 2047, False), (3072, 4095, True), (8 * 1024 * 1024, 8 * 1024 * 1024 + 511, False)]


def test_misaligned_pages_are_refused(pages):
    blob = pages.get_blob_client("disk1.vhd")
    blob.create_page_blob(size=1024 * 1024)
    with pytest.raises(HttpResponseError) as failure:
        blob._client.page_blob.upload_pages(512, b"\x01" * 512, range="bytes=100-611")
    assert failure.value.status_code == 416


def test_page_ranges_paginate(pages):
    blob = pages.get_blob_client("disk2.vhd")
    blob.create_page_blob(size=4 * 1024 * 1024)
    for index in range(20):
        blob.upload_page(b"\x01" * 512, offset=index * 8192, length=512)
    found = [(r.start, r.end) for r in blob.list_page_ranges(results_per_page=7)]
    assert len(found) == 20 and found[0] == (0, 511) and found[-1] == (19 * 8192, 19 * 8192 + 511)
