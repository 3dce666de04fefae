#!/usr/bin/env bash
# Sets up a Debian 12 machine for this project (as root: installs the apt packages it needs),
# builds everything into build/, then:
#   ./setup.sh          only that
#   ./setup.sh demo     test-runs the example workflow against the embedded Freshdesk sandbox
#   ./setup.sh test     runs the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  cmake ninja-build g++ binutils ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libgtest-dev libvalijson-dev
  python3-jsonschema  # the draft-07 meta-schema the tests check our schemas against
  nodejs npm          # the MCP test drives flowrun mcp with the official client (tests/mcp)
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build
# The MCP test's npm packages, exactly as its lock file pins them.
(cd tests/mcp && npm ci --no-audit --no-fund --loglevel=error)

case "${1:-}" in
  "") ;;
  demo) build/flowrun run examples/create-ticket.workflow.json ;;
  test) ctest --test-dir build --output-on-failure -j 2 ;;
  *) echo "usage: $0 [demo|test]" >&2; exit 2 ;;
esac
