#!/usr/bin/env bash
# Sets up a Debian 12 machine for this project (as root: installs the apt packages and the
# pinned npm packages it needs), builds everything into build/, then:
#   ./setup.sh          only that
#   ./setup.sh demo     test-runs the example workflow against the embedded Freshdesk sandbox
#   ./setup.sh test     runs the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  cmake ninja-build g++ binutils ca-certificates file
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libgtest-dev libvalijson-dev
  python3-jsonschema  # the draft-07 meta-schema, and python-jsonschema for the canvas suite
  chromium            # the Node-RED palette's browser tests (driven by playwright-core; no browser download)
)
# Node.js for the canvas, Node-RED and MCP suites: Debian's (18) where the machine has none (a
# NodeSource node bundles its own npm, which conflicts with Debian's npm package).
command -v node >/dev/null || packages+=(nodejs npm)

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

# The npm packages of each suite, exactly as their lock files pin them (again only when a lock
# file changed since the last install). hosts/node-red: CMake builds the palette's addon and adds
# its tests only when its packages are there.
for dir in tests/canvas tests/mcp hosts/node-red; do
  if [[ ! -f "$dir/node_modules/.package-lock.json" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    echo "setup: npm ci in $dir" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
done

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build

case "${1:-}" in
  "") ;;
  demo) build/flowrun run examples/create-ticket.workflow.json ;;
  test) ctest --test-dir build --output-on-failure -j 2 ;;
  *) echo "usage: $0 [demo|test]" >&2; exit 2 ;;
esac
