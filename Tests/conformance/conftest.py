"""Starts one LocalCloud (`nimbus cloud serve`) for the whole session and hands tests its endpoints.

The server runs from the debug build (NIMBUS_BIN) on a free port with a temporary data folder; its CA is
trusted through REQUESTS_CA_BUNDLE and `connection_verify`.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cloud:
    """A running LocalCloud: its endpoints document, data folder and helpers for SDK clients."""

    def __init__(self, data: Path, endpoints: dict):
        self.data = data
        self.endpoints = endpoints
        self.ca = endpoints["caCertificate"]
        self.subscription_id = endpoints["subscriptionId"]
        self.base = endpoints["resourceManager"].rstrip("/")

    def credential(self, **kwargs):
        from azure.identity import ClientSecretCredential

        return ClientSecretCredential(
            self.endpoints["tenantId"],
            self.endpoints["clientId"],
            kwargs.pop("secret", self.endpoints["clientSecret"]),
            authority=self.endpoints["authorityHost"],
            disable_instance_discovery=True,
            connection_verify=self.ca,
            **kwargs,
        )

    def mgmt_kwargs(self) -> dict:
        return {
            "base_url": self.endpoints["resourceManager"],
            "credential_scopes": [self.endpoints["tokenScope"]],
            "connection_verify": self.ca,
            "polling_interval": 0,
        }

    def resource_client(self):
        try:
            from azure.mgmt.resource import ResourceManagementClient
        except ImportError:  # azure-mgmt-resource 26 moved it into a subpackage
            from azure.mgmt.resource.resources import ResourceManagementClient

        return ResourceManagementClient(self.credential(), self.subscription_id, **self.mgmt_kwargs())

    def storage_client(self):
        from azure.mgmt.storage import StorageManagementClient

        return StorageManagementClient(self.credential(), self.subscription_id, **self.mgmt_kwargs())

    def blob_endpoint(self, account: str) -> str:
        return self.endpoints["blobEndpointTemplate"].replace("{account}", account)

    def queue_endpoint(self, account: str) -> str:
        return self.endpoints["queueEndpointTemplate"].replace("{account}", account)

    def new_account(self, public_network_access: str = "Enabled", group: str = "conformance") -> tuple:
        """Creates a resource group (if needed) and a storage account; returns (name, key).

        Bodies are given in their REST shape: the generated models send a plain dict as is."""
        resources = self.resource_client()
        resources.resource_groups.create_or_update(group, {"location": "westeurope"})
        storage = self.storage_client()
        name = "acct" + uuid.uuid4().hex[:12]
        storage.storage_accounts.begin_create(
            group,
            name,
            {
                "location": "westeurope",
                "kind": "StorageV2",
                "sku": {"name": "Standard_LRS"},
                "properties": {"publicNetworkAccess": public_network_access},
            },
        ).result()
        keys = storage.storage_accounts.list_keys(group, name)
        return name, keys["keys"][0].value

    def admin(self, method: str, path: str, body=None):
        import requests

        response = requests.request(
            method, self.endpoints["adminEndpoint"] + path, json=body, verify=self.ca, timeout=10
        )
        response.raise_for_status()
        return response


class Server:
    """One `nimbus cloud serve` process on a data folder and port; stop and start it again to test restarts."""

    def __init__(self, data: Path, port: int):
        self.data = data
        self.port = port
        self.process = None
        self.log = None

    def start(self, retry_after: int = 0) -> dict:
        binary = os.environ.get("NIMBUS_BIN", str(Path(__file__).resolve().parents[2] / ".build/debug/nimbus"))
        if not Path(binary).exists():
            pytest.exit(f"nimbus binary not found at {binary}; run `swift build --product nimbus` first", 2)
        endpoints_file = self.data / "endpoints.json"
        if endpoints_file.exists():
            endpoints_file.unlink()
        self.log = open(self.data / "server.log", "a")
        self.process = subprocess.Popen(
            [binary, "cloud", "serve", "--data", str(self.data), "--port", str(self.port), "--retry-after", str(retry_after)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while not endpoints_file.exists():
            if self.process.poll() is not None or time.time() > deadline:
                self.process.kill()
                pytest.exit(f"LocalCloud did not start; see {self.data / 'server.log'}", 2)
            time.sleep(0.1)
        return json.loads(endpoints_file.read_text())

    def stop(self) -> int:
        """Sends SIGTERM and waits for the exit; returns the exit status."""
        self.process.terminate()
        try:
            status = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        self.log.close()
        return status


@pytest.fixture(scope="session")
def cloud():
    data = Path(tempfile.mkdtemp(prefix="localcloud-conformance-"))
    server = Server(data, _free_port())
    endpoints = server.start()
    os.environ["REQUESTS_CA_BUNDLE"] = endpoints["caCertificate"]
    os.environ["SSL_CERT_FILE"] = endpoints["caCertificate"]
    try:
        yield Cloud(data, endpoints)
    finally:
        server.stop()
        if not os.environ.get("LOCALCLOUD_KEEP_DATA"):
            shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def server():
    """A LocalCloud of the test's own (not the session's), for tests that stop and restart it."""
    data = Path(tempfile.mkdtemp(prefix="localcloud-restart-"))
    own = Server(data, _free_port())
    try:
        yield own
    finally:
        if own.process is not None and own.process.poll() is None:
            own.stop()
        shutil.rmtree(data, ignore_errors=True)
