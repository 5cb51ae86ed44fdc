#!/usr/bin/env bash
# Runs the Azure SDK conformance suite against LocalCloud, in the virtual environment that
# scripts/python-env.sh prepares. The nimbus binary is taken from NIMBUS_BIN, or .build/debug/nimbus.
set -euo pipefail
cd "$(dirname "$0")/../.."
python="$(scripts/python-env.sh)"
export NIMBUS_BIN="${NIMBUS_BIN:-$(pwd)/.build/debug/nimbus}"
exec "$python" -m pytest -q -p no:cacheprovider Tests/conformance "$@"
