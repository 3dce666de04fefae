#!/usr/bin/env bash
# A long fuzzing run of both libFuzzer targets (clang from Debian), reporting executions and
# crashes per target; exits 1 if any target crashed. Crashing inputs land in build-fuzz/findings/TARGET/.
# usage: bench/fuzz_long.sh [SECONDS_PER_TARGET]   (default 600)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
missing=()
for package in clang libclang-rt-dev; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DFD_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-fuzz --target fuzz_invoke_input fuzz_response >/dev/null
found=0
echo "| target | seconds | executions | crashes |"
echo "|---|---|---|---|"
for target in invoke_input response; do
  corpus=$(mktemp -d)
  cp tests/fuzz/corpus/$target/* "$corpus/"
  # Every node's own examples, from the catalogue: the first byte picks the node (the records in
  # file-name order, as the plugin reads them), so new nodes and their inputs (attachments
  # included) are fuzzed from the start.
  [[ $target == invoke_input ]] && python3 - "$corpus" <<'PY'
import glob, json, os, sys
records = sorted(glob.glob("nodes/freshdesk.*.json"))
for index, path in enumerate(records):
    for n, example in enumerate(json.load(open(path))["examples"]):
        with open(os.path.join(sys.argv[1], f"example_{index}_{n}"), "wb") as out:
            out.write(bytes([index]) + json.dumps(example).encode())
PY
  findings=build-fuzz/findings/$target
  mkdir -p "$findings"
  log=$(mktemp)
  status=0
  build-fuzz/fuzz_$target -max_total_time="$seconds" -max_len=65536 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$findings/" "$corpus" >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  crashes=$(find "$findings" -type f | wc -l)
  echo "| fuzz_$target | $seconds | $runs | $crashes |"
  [[ $status == 0 ]] || tail -30 "$log" >&2
  ((crashes == 0 && status == 0)) || found=1
  rm -rf "$corpus" "$log"
done
exit "$found"
