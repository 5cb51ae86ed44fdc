#!/usr/bin/env bash
# Creates .venv at the repository root (once) with Tests/conformance/requirements.txt installed
# (Microsoft's Azure SDKs and pytest), reinstalling when the requirements change.
# Prints the path of the environment's python.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
venv="$root/.venv"
python="${PYTHON:-python3}"
if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv" >&2
fi
stamp="$venv/.requirements.sha256"
wanted="$(sha256sum Tests/conformance/requirements.txt | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
    "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
    "$venv/bin/python" -m pip install --quiet -r Tests/conformance/requirements.txt >&2
    echo "$wanted" > "$stamp"
fi
echo "$venv/bin/python"
