#!/usr/bin/env bash
# Soak: a long mixed workload (reads, lists, searches, creates and deletes, bad input, 404s)
# through one loaded plugin against a `flowrun sandbox` of its own process, with resident
# memory sampled as it goes; prints the series and the growth per 100k calls after warm-up.
# usage: bench/soak.sh [CALLS]   (default 500000)
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-500000}
work=$(mktemp -d)
trap 'kill $sandbox 2>/dev/null || true; rm -rf "$work"' EXIT
build/flowrun sandbox --seed-tickets 50 --seed-contacts 10 --rate-limit 1000000000 >"$work/sandbox.json" 2>/dev/null &
sandbox=$!
for _ in $(seq 100); do [[ -s $work/sandbox.json ]] && break; sleep 0.1; done
read -r base_url ca_file api_key control_url < <(python3 -c '
import json, sys
info = json.load(open(sys.argv[1]))
print(info["base_url"], info["ca_file"], info["api_key"], info["control_url"])' "$work/sandbox.json")
build/bench/plugin_bench --phase soak --memory-calls "$calls" --base-url "$base_url" --ca-file "$ca_file" \
  --api-key "$api_key" --control-url "$control_url" | python3 -c '
import json, sys
row = json.loads(sys.stdin.readline())
calls, seconds, churn = row["calls"], row["seconds"], row["created_and_deleted"]
growth = row["growth_kib_per_100k_after_warmup"]
print(f"soak: {calls:,} mixed calls in {seconds:.0f} s ({churn:,} tickets created and deleted)")
print("| calls | resident |\n|---|---|")
for done, kib in row["rss_kib_series"]:
    print(f"| {done:,} | {kib / 1024:.1f} MiB |")
print(f"growth after warm-up: {growth:.0f} KiB per 100k calls")'
