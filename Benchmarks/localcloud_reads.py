"""Measures LocalCloud's ranged-read throughput: 4 MiB ranged GETs over loopback HTTPS, 4 concurrent readers.

Starts `nimbus cloud serve` from NIMBUS_BIN (the release build), creates a storage account with Microsoft's
SDKs, uploads a blob, and lets four `curl` processes read it in 4 MiB ranges over kept-alive connections with
a read-only SAS. Prints one JSON object with the figures. Run it with the conformance virtual environment.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "conformance"))
from conftest import Cloud, _free_port  # noqa: E402

RANGE = 4 * 1024 * 1024
BLOB_SIZE = 256 * 1024 * 1024
READERS = 4
READS_PER_READER = 128


def main() -> None:
    binary = os.environ["NIMBUS_BIN"]
    data = Path(tempfile.mkdtemp(prefix="localcloud-bench-"))
    port = _free_port()
    log = open(data / "server.log", "w")
    server = subprocess.Popen(
        [binary, "cloud", "serve", "--data", str(data), "--port", str(port), "--log-level", "error"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        endpoints_file = data / "endpoints.json"
        deadline = time.time() + 60
        while not endpoints_file.exists():
            if server.poll() is not None or time.time() > deadline:
                raise SystemExit(f"LocalCloud did not start; see {data / 'server.log'}")
            time.sleep(0.1)
        endpoints = json.loads(endpoints_file.read_text())
        os.environ["REQUESTS_CA_BUNDLE"] = endpoints["caCertificate"]
        cloud = Cloud(data, endpoints)
        name, key = cloud.new_account(group="bench")

        from azure.storage.blob import BlobSasPermissions, BlobServiceClient, generate_blob_sas

        service = BlobServiceClient(cloud.blob_endpoint(name), credential=key, connection_verify=cloud.ca)
        container = service.create_container("bench")
        chunk = os.urandom(RANGE)
        blob = container.get_blob_client("disk.img")
        blob.upload_blob((chunk for _ in range(BLOB_SIZE // RANGE)), length=BLOB_SIZE, max_concurrency=4)
        sas = generate_blob_sas(
            name,
            "bench",
            "disk.img",
            account_key=key,
            permission=BlobSasPermissions(read=True),
            expiry=datetime.now(timezone.utc) + timedelta(hours=1),
        )
        url = f"{blob.url}?{sas}"

        def reader_command(reader: int) -> list:
            command = ["curl", "--silent", "--show-error", "--fail", "--cacert", cloud.ca]
            for index in range(READS_PER_READER):
                offset = ((reader * READS_PER_READER + index) * RANGE) % BLOB_SIZE
                if index:
                    command.append("--next")
                command += ["--cacert", cloud.ca, "-r", f"{offset}-{offset + RANGE - 1}", "-o", "/dev/null", url]
            return command

        started = time.monotonic()
        readers = [subprocess.Popen(reader_command(reader)) for reader in range(READERS)]
        failures = sum(1 for process in readers if process.wait() != 0)
        elapsed = time.monotonic() - started
        total = READERS * READS_PER_READER * RANGE
        print(
            json.dumps(
                {
                    "readers": READERS,
                    "rangeBytes": RANGE,
                    "requests": READERS * READS_PER_READER,
                    "bytes": total,
                    "seconds": round(elapsed, 3),
                    "megabytesPerSecond": round(total / elapsed / 1e6, 1),
                    "failedReaders": failures,
                }
            )
        )
        if failures:
            raise SystemExit(f"{failures} reader(s) failed")
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        if not os.environ.get("LOCALCLOUD_KEEP_DATA"):
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
