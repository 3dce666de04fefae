#!/usr/bin/env bash
# Peer: what a shell step does - one curl process per call (a new connection and handshake each).
# usage: curl_per_call.sh BASE_URL CA_FILE API_KEY PATH CALLS
# Prints one JSON line: {"peer": "curl", "calls": N, "ok": N, "seconds": S, "rate_limited": N}.
set -euo pipefail
base_url=$1 ca_file=$2 api_key=$3 path=$4 calls=$5
ok=0 limited=0
started=$(date +%s.%N)
for ((i = 0; i < calls; i++)); do
  status=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$ca_file" -u "$api_key:X" \
    -H 'Accept: application/json' "${base_url%/}$path")
  if [[ $status == 200 ]]; then ok=$((ok + 1)); elif [[ $status == 429 ]]; then limited=$((limited + 1)); fi
done
finished=$(date +%s.%N)
printf '{"peer": "curl", "calls": %d, "ok": %d, "seconds": %s, "rate_limited": %d}\n' \
  "$calls" "$ok" "$(awk "BEGIN { print $finished - $started }")" "$limited"
