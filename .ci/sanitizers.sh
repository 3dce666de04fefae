#!/usr/bin/env bash
# CI jobs under sanitizers, each in its own build tree:
#   .ci/sanitizers.sh address   ASan + UBSan + LeakSanitizer, every test
#   .ci/sanitizers.sh thread    ThreadSanitizer, the tests that run threads against one plugin
# Run ./setup.sh first: it installs the packages.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: .ci/sanitizers.sh address|thread}
tree=build-$kind
# -O1 -g1: line tables for the reports, and a build that fits in CI's time (Beast is heavy).
cmake -S . -B "$tree" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" \
  -DFD_SANITIZE="$kind" >/dev/null
case "$kind" in
  address)
    cmake --build "$tree"
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    ctest --test-dir "$tree" --output-on-failure -j 2
    ;;
  thread)
    # Only what the job needs: the plugin, its host helper and the threaded tests.
    cmake --build "$tree" --target freshdesk_nodes concurrency_test abi_test
    export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
    ctest --test-dir "$tree" --output-on-failure -L '^(concurrency|abi)$'
    ;;
  *) echo "unknown sanitizer: $kind" >&2; exit 2 ;;
esac
