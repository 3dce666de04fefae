#!/usr/bin/env bash
# A runner's scale: one host thread keeps IN_FLIGHT runs in flight (default 1,000) across
# ACCOUNTS Freshdesk accounts (default 100) of one `flowrun sandbox` that adds LATENCY_MS to every
# answer (default 50), until CALLS runs (default 5,000) have completed. Prints the throughput, what
# the latency allows at that concurrency, the connections the sandbox accepted (per account), and
# the host's resident memory after init, after a first run (the baseline: code paged in, trust
# store loaded), at its peak and after (per run in flight: above the baseline). MAX_CONNECTIONS
# sets the credentials' max_connections (the cap per account; default: the plugin's, 4). HOST
# "start" (default) drives the runs with run_start and a condition-variable wait; "here" makes
# them all in one run_here_many (ABI 1.3), the runs on the host's thread.
# usage: bench/scale_bench.sh [CALLS] [IN_FLIGHT] [ACCOUNTS] [LATENCY_MS] [MAX_CONNECTIONS] [HOST]
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-5000}
in_flight=${2:-1000}
accounts=${3:-100}
latency=${4:-50}
cap=${5:-4}
host=${6:-start}
host_in_flight=$in_flight
[[ $host == here ]] && host_in_flight="here:$in_flight"
source bench/sandbox_for_bench.sh
account_args=()
for i in $(seq 0 $((accounts - 1))); do account_args+=(--account "acct$i:scale-key-$i"); done
start_sandbox --threads 2 --latency-ms "$latency" --rate-limit 100000000 --rate-window 1 "${account_args[@]}"
# The credentials of account i: the sandbox's line with api_key scale-key-i (plain_host fills %d).
credentials=$(sandbox_credentials "{\"domain\": null, \"api_key\": \"scale-key-%d\", \"max_connections\": $cap}")
control=$(json_field "$sandbox_line" control_url)

result=$(build/bench/plain_host "$library" freshdesk.account.test_connection '{}' "$credentials" "$calls" "$host_in_flight" "$accounts")
counters=$(curl -s "$control/control/counters")
python3 - "$result" "$counters" "$in_flight" "$accounts" "$latency" "$cap" <<'PY'
import json, sys
r, c = json.loads(sys.argv[1]), json.loads(sys.argv[2])
in_flight, accounts, latency, cap = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
# At most cap x accounts requests are out at once, each taking the latency.
allowed = min(in_flight, cap * accounts) / (latency / 1000)
connections = c.get("connections_accepted", 0)
print(f"| runs | {r['calls']:,} completed, {r['failed']} failed ({r['host']}) |")
print(f"| in flight / accounts / added latency / cap per account | {in_flight:,} / {accounts} / {latency} ms / {cap} |")
print(f"| throughput | {r['calls_per_second']:,.0f} runs/s ({r['calls_per_second'] / allowed:.2f} of the {allowed:,.0f}/s that min(in flight, cap x accounts) at {latency} ms allows) |")
print(f"| connections the sandbox accepted | {connections:,} ({connections / accounts:.1f} per account) |")
print(f"| host resident memory after init / after a first run (the baseline) / peak / after the runs / after deinit | {r['rss_before_kib']:,} / {r['rss_baseline_kib']:,} / {r['rss_peak_kib']:,} / {r['rss_after_kib']:,} / {r['rss_after_deinit_kib']:,} KiB |")
print(f"| per run in flight (peak - baseline) / in flight | {(r['rss_peak_kib'] - r['rss_baseline_kib']) / in_flight:.1f} KiB |")
print(f"| after deinit against the baseline: all resident / private (heap; RssAnon) | {r['rss_after_deinit_kib'] - r['rss_baseline_kib']:+,} / {r['anon_after_deinit_kib'] - r['anon_baseline_kib']:+,} KiB |")
PY
