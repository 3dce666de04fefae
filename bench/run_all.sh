#!/usr/bin/env bash
# Installs what the peers need (Debian's python3-requests and curl, axios from the npm registry,
# valgrind for the instruction counts), builds, and runs every benchmark: bench/run_all.py.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for package in python3-requests curl valgrind nodejs npm; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || command -v "${package%js}" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
(cd bench/peers && [[ -d node_modules/axios ]] || npm install --silent --no-audit --no-fund >/dev/null)
./setup.sh >/dev/null
cmake --build build --target plugin_bench sandbox_bench >/dev/null
python3 bench/run_all.py "$@"
