#!/usr/bin/env bash
# The plugin under a plain host against the limit, side by side in one run against one sandbox:
#   limit      wrk (Debian's) sending GET /api/v2/tickets/1, one connection (-t1 -c1) and eight (-t1 -c8)
#   plugin     bench/plain_host: Get a Ticket through the C ABI, a condition-variable wait per
#              completion (no spinning), serially and with eight runs in flight from one thread;
#              serially with run_here (ABI 1.2: the run on the host's thread, nothing to wait for),
#              and eight in flight from one thread with run_here_many (ABI 1.3: the same, for many runs);
#              and, on one CPU (taskset -c 0, wrk too), eight in flight with run_start: the host's
#              thread and the plugin's io thread then wake each other without crossing CPUs
#   peers      (when installed) a Python requests.Session loop, a Node.js axios keep-alive client,
#              curl per call, once each after the rounds
# Rounds are interleaved; the table gives each figure's median and the ratios of the medians.
# usage: bench/limit_bench.sh [ROUNDS] [SECONDS_PER_WRK_RUN]      (after ./setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-3}
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
source bench/sandbox_for_bench.sh
start_sandbox --seed-tickets 5 --rate-limit 100000000 --rate-window 1
# The sandbox's line less its control_url: the plugin's credentials, allowed eight connections
# (as many as wrk -c8 opens; the default cap is four).
credentials=$(sandbox_credentials '{"max_connections": 8}')
base_url=$(json_field "$credentials" base_url)
authorization="Basic $(printf '%s:X' "$(json_field "$credentials" api_key)" | base64 -w0)"

wrk_rate() {  # connections [taskset...] -> requests/s
  local connections=$1
  shift
  "$@" wrk -t1 -c"$connections" -d"${seconds}s" -H "Authorization: $authorization" -H "Host: sandbox.freshdesk.com" \
    "$base_url/api/v2/tickets/1" | awk '/Requests\/sec/ {print $2}'
}
plugin_rate() {  # in_flight|here calls [taskset...] -> calls/s (parsed after it ends: nothing else runs meanwhile)
  local line mode=$1 calls=$2
  shift 2
  line=$("$@" build/bench/plain_host "$library" freshdesk.ticket.get '{"TicketId":1}' "$credentials" "$calls" "$mode")
  python3 -c "import json,sys; print(json.loads(sys.argv[1])['calls_per_second'])" "$line"
}

for round in $(seq "$rounds"); do
  echo "wrk_c1 $(wrk_rate 1)" >>"$work/figures"
  echo "plain_serial $(plugin_rate 1 10000)" >>"$work/figures"
  echo "plain_here $(plugin_rate here 10000)" >>"$work/figures"
  echo "wrk_c8 $(wrk_rate 8)" >>"$work/figures"
  echo "plain_8 $(plugin_rate 8 20000)" >>"$work/figures"
  echo "plain_here_8 $(plugin_rate here:8 20000)" >>"$work/figures"
  echo "wrk_c8_one_cpu $(wrk_rate 8 taskset -c 0)" >>"$work/figures"
  echo "plain_8_one_cpu $(plugin_rate 8 20000 taskset -c 0)" >>"$work/figures"
  echo "round $round of $rounds done" >&2
done

# Peers, once each against the same sandbox, when they are installed (bench/run_all.sh installs
# them): a Python requests.Session loop, a Node.js axios keep-alive client, curl per call.
ca_file=$(json_field "$credentials" ca_file)
api_key=$(json_field "$credentials" api_key)
peer_rate() {  # command... -> calls/s
  local line
  line=$("$@" "$base_url" "$ca_file" "$api_key" /api/v2/tickets/1 "$peer_calls" 2>/dev/null) || return 0
  python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d['ok'] / d['seconds'])" "$line"
}
record_peer() {  # name command... : one line in the figures when the peer ran
  local name=$1 rate
  shift
  rate=$(peer_rate "$@")
  [[ -n $rate ]] && echo "$name $rate" >>"$work/figures"
  return 0
}
peer_calls=3000
if python3 -c "import requests" 2>/dev/null; then record_peer peer_python python3 bench/peers/python_requests.py; fi
if [[ -d bench/peers/node_modules/axios ]]; then record_peer peer_node node bench/peers/node_axios.mjs; fi
peer_calls=200
if command -v curl >/dev/null; then record_peer peer_curl bash bench/peers/curl_per_call.sh; fi

python3 - "$work/figures" "$rounds" <<'EOF'
import statistics, sys
figures = {}
for line in open(sys.argv[1]):
    name, value = line.split()
    figures.setdefault(name, []).append(float(value))
m = {name: statistics.median(values) for name, values in figures.items()}
print(f"medians of {sys.argv[2]} rounds, requests or calls per second")
print(f"| measurement | per second | ratio |")
print(f"|---|---|---|")
print(f"| wrk -t1 -c1 (the limit, serial) | {m['wrk_c1']:,.0f} | 1.00 |")
print(f"| plain C host, serial (run_start + wait) | {m['plain_serial']:,.0f} | {m['plain_serial'] / m['wrk_c1']:.2f} of wrk -c1 |")
print(f"| plain C host, serial with run_here (ABI 1.2) | {m['plain_here']:,.0f} | {m['plain_here'] / m['wrk_c1']:.2f} of wrk -c1 |")
print(f"| wrk -t1 -c8 (the limit, 8 connections) | {m['wrk_c8']:,.0f} | 1.00 |")
print(f"| plain C host, 8 in flight from one thread (run_start + wait) | {m['plain_8']:,.0f} | {m['plain_8'] / m['wrk_c8']:.2f} of wrk -c8 |")
print(f"| plain C host, 8 in flight from one thread with run_here_many (ABI 1.3) | {m['plain_here_8']:,.0f} | {m['plain_here_8'] / m['wrk_c8']:.2f} of wrk -c8 |")
print(f"| wrk -t1 -c8 on one CPU (taskset -c 0) | {m['wrk_c8_one_cpu']:,.0f} | 1.00 |")
print(f"| plain C host on one CPU, 8 in flight from one thread (run_start + wait) | {m['plain_8_one_cpu']:,.0f} | {m['plain_8_one_cpu'] / m['wrk_c8_one_cpu']:.2f} of wrk -c8 on one CPU |")
for key, name in (("peer_python", "Python requests.Session loop"), ("peer_node", "Node.js axios, keep-alive"),
                  ("peer_curl", "curl, one process per call")):
    if m.get(key):
        print(f"| peer: {name} | {m[key]:,.0f} | run_here {m['plain_here'] / m[key]:.1f}x, run_start {m['plain_serial'] / m[key]:.1f}x faster |")
EOF
