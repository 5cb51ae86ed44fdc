"""Queue data plane through azure-storage-queue: visibility, dequeue counts, pop receipts, TTL, size limit, SAS."""

import datetime
import time

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.storage.queue import QueueClient, QueueSasPermissions, QueueServiceClient, generate_queue_sas


@pytest.fixture(scope="module")
def account(cloud):
    return cloud.new_account()


@pytest.fixture
def service(cloud, account):
    name, key = account
    return QueueServiceClient(cloud.queue_endpoint(name), credential={"account_name": name, "account_key": key}, connection_verify=cloud.ca)


def test_visibility_and_dequeue_count(service):
    queue = service.create_queue("jobs")
    queue.send_message("first")
    queue.send_message("later", visibility_timeout=3)
    received = queue.receive_messages(visibility_timeout=1, max_messages=32)
    messages = list(received)
    assert [m.content for m in messages] == ["first"]
    assert messages[0].dequeue_count == 1
    assert list(queue.receive_messages(visibility_timeout=1)) == []
    time.sleep(1.2)
    again = list(queue.receive_messages(visibility_timeout=5))
    assert [m.content for m in again] == ["first"] and again[0].dequeue_count == 2
    with pytest.raises(ResourceNotFoundError):
        queue.delete_message(messages[0].id, messages[0].pop_receipt)
    queue.delete_message(again[0])
    assert queue.get_queue_properties().approximate_message_count == 1
    peeked = queue.peek_messages()
    assert peeked == [] or peeked[0].content == "later"


def test_update_changes_pop_receipt_and_content(service):
    queue = service.create_queue("updates")
    queue.send_message("v1")
    message = next(iter(queue.receive_messages(visibility_timeout=30)))
    updated = queue.update_message(message, pop_receipt=message.pop_receipt, content="v2", visibility_timeout=0)
    assert updated.pop_receipt != message.pop_receipt
    with pytest.raises(ResourceNotFoundError):
        queue.update_message(message.id, pop_receipt=message.pop_receipt, content="v3", visibility_timeout=0)
    current = next(iter(queue.receive_messages()))
    assert current.content == "v2" and current.dequeue_count == 2


def test_ttl_expiry_and_never_expiring_messages(service):
    queue = service.create_queue("ttl")
    queue.send_message("short", time_to_live=1)
    forever = queue.send_message("forever", time_to_live=-1)
    assert forever.expires_on.year == 9999
    time.sleep(1.5)
    assert [m.content for m in queue.peek_messages(max_messages=32)] == ["forever"]


def test_message_size_limit(service):
    queue = service.create_queue("limits")
    queue.send_message("x" * 64 * 1024)
    with pytest.raises(HttpResponseError) as failure:
        queue.send_message("x" * (64 * 1024 + 1))
    assert failure.value.status_code in (400, 413)


def test_queue_sas_permissions(cloud, account, service):
    name, key = account
    service.create_queue("sasq")
    expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5)
    add_only = generate_queue_sas(name, "sasq", key, permission=QueueSasPermissions(add=True), expiry=expiry)
    client = QueueClient.from_queue_url(f"{cloud.queue_endpoint(name)}sasq?{add_only}", connection_verify=cloud.ca)
    client.send_message("via sas")
    with pytest.raises(HttpResponseError) as failure:
        list(client.receive_messages())
    assert failure.value.error_code == "AuthorizationPermissionMismatch"
