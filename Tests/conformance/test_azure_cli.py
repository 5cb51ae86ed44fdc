"""Microsoft's Azure CLI (`az`, from azure-cli on PyPI) against LocalCloud, as a new user would set it up:
register LocalCloud as a cloud from its metadata endpoint, log in as its service principal, then drive ARM,
the image catalog, storage and SAS with ordinary commands."""

import datetime
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

AZ = Path(sys.executable).parent / "az"


@pytest.fixture(scope="module")
def az(cloud, tmp_path_factory):
    assert AZ.exists(), f"azure-cli is missing from the environment ({AZ}); it is in requirements.txt"
    env = dict(
        os.environ,
        AZURE_CONFIG_DIR=str(tmp_path_factory.mktemp("azure-cli")),
        REQUESTS_CA_BUNDLE=cloud.ca,
        # LocalCloud is not an authority Microsoft knows, so MSAL must not ask login.microsoftonline.com about it
        # (the CLI's documented setting for Azure Stack).
        AZURE_CORE_INSTANCE_DISCOVERY="false",
        AZURE_CORE_COLLECT_TELEMETRY="false",
        AZURE_CORE_ONLY_SHOW_ERRORS="true",
        AZURE_CORE_NO_COLOR="true",
    )

    def run(*args):
        result = subprocess.run(
            [str(AZ), *args, "--output", "json"], env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, f"az {' '.join(args)} failed:\n{result.stderr}"
        return json.loads(result.stdout) if result.stdout.strip() else None

    run("cloud", "register", "--name", "LocalCloud", "--endpoint-resource-manager", cloud.endpoints["resourceManager"])
    run("cloud", "set", "--name", "LocalCloud")
    shown = run("cloud", "show", "--name", "LocalCloud")
    assert shown["endpoints"]["activeDirectory"] == cloud.endpoints["authorityHost"]
    assert shown["endpoints"]["resourceManager"] == cloud.endpoints["resourceManager"]
    run(
        "login", "--service-principal",
        "--username", cloud.endpoints["clientId"],
        "--password", cloud.endpoints["clientSecret"],
        "--tenant", cloud.endpoints["tenantId"],
    )
    return run


def test_login_and_resource_groups(az, cloud):
    account = az("account", "show")
    assert account["id"] == cloud.subscription_id
    assert account["tenantId"] == cloud.endpoints["tenantId"]
    group = "rg-az-" + uuid.uuid4().hex[:6]
    created = az("group", "create", "--name", group, "--location", "westeurope")
    assert created["properties"]["provisioningState"] == "Succeeded"
    assert group in [g["name"] for g in az("group", "list")]
    az("group", "delete", "--name", group, "--yes")


def test_platform_images(az):
    urn = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest"
    image = az("vm", "image", "show", "--urn", urn, "--location", "westeurope")
    assert image["osDiskImage"]["operatingSystem"] == "Linux"
    listed = az(
        "vm", "image", "list", "--location", "westeurope", "--publisher", "Canonical",
        "--offer", "0001-com-ubuntu-server-jammy", "--sku", "22_04-lts-gen2", "--all",
    )
    assert image["name"] in [i["version"] for i in listed]
    skus = az("vm", "image", "list-skus", "--location", "westeurope", "--publisher", "Canonical", "--offer", "0001-com-ubuntu-server-jammy")
    assert "22_04-lts-gen2" in [s["name"] for s in skus]


def test_storage_and_a_sas_with_the_clis_expiry_format(az, cloud):
    group = "rg-az-" + uuid.uuid4().hex[:6]
    az("group", "create", "--name", group, "--location", "westeurope")
    name = "az" + uuid.uuid4().hex[:12]
    az("storage", "account", "create", "--name", name, "--resource-group", group, "--location", "westeurope", "--sku", "Standard_LRS")
    key = az("storage", "account", "keys", "list", "--account-name", name, "--resource-group", group)[0]["value"]
    data_plane = ["--account-name", name, "--account-key", key, "--blob-endpoint", cloud.blob_endpoint(name)]
    az("storage", "container", "create", "--name", "docs", *data_plane)
    az("storage", "blob", "upload", "--container-name", "docs", "--name", "hello.txt", "--data", "hello from az", *data_plane)
    expiry = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%MZ")
    sas = az(
        "storage", "blob", "generate-sas", "--container-name", "docs", "--name", "hello.txt",
        "--permissions", "r", "--expiry", expiry, "--https-only", *data_plane,
    )
    assert f"se={expiry.replace(':', '%3A')}" in sas
    response = requests.get(f"{cloud.blob_endpoint(name)}docs/hello.txt?{sas}", verify=cloud.ca, timeout=30)
    assert response.status_code == 200, response.text
    assert response.text == "hello from az"
    az("group", "delete", "--name", group, "--yes")
