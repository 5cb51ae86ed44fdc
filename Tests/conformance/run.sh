#!/usr/bin/env bash
# Runs the Azure SDK conformance suite against LocalCloud.
# Creates .venv at the repository root (once), installs requirements.txt, then runs pytest.
# The nimbus binary is taken from NIMBUS_BIN, or .build/debug/nimbus.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
venv="$root/.venv"
python="${PYTHON:-python3}"
if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
fi
stamp="$venv/.requirements.sha256"
wanted="$(sha256sum Tests/conformance/requirements.txt | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet -r Tests/conformance/requirements.txt
    echo "$wanted" > "$stamp"
fi
export NIMBUS_BIN="${NIMBUS_BIN:-$root/.build/debug/nimbus}"
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider Tests/conformance "$@"
