#!/usr/bin/env bash
# Instructions per warm invoke, split by stage, with callgrind (repeatable, whatever else the
# machine is doing). Two runs of plugin_bench --phase cpu (N and 3N calls) against one
# `flowrun sandbox`; the difference divided by 2N is the steady per-call cost, so start-up
# (loading the CA store, first handshake) drops out. The host is plain (no spinning): once with
# run_start and a condition-variable wait, once with run_here (ABI 1.2). Callgrind counts the
# whole client process, the host's waiting and waking included.
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-1000}
work=$(mktemp -d)
trap 'kill $sandbox 2>/dev/null || true; rm -rf "$work"' EXIT
build/flowrun sandbox --seed-tickets 10 --rate-limit 100000000 >"$work/sandbox.json" 2>/dev/null &
sandbox=$!
for _ in $(seq 100); do [[ -s $work/sandbox.json ]] && break; sleep 0.1; done
read -r base_url ca_file api_key control_url < <(python3 -c '
import json, sys
info = json.load(open(sys.argv[1]))
print(info["base_url"], info["ca_file"], info["api_key"], info["control_url"])' "$work/sandbox.json")
for here in 0 1; do
for n in "$calls" $((3 * calls)); do
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.$n" build/bench/plugin_bench --phase cpu --calls "$n" \
    --spin-us 0 --here "$here" \
    --base-url "$base_url" --ca-file "$ca_file" --api-key "$api_key" --control-url "$control_url" >/dev/null 2>&1
  callgrind_annotate --inclusive=yes --threshold=100 "$work/cg.$n" >"$work/in.$n" 2>/dev/null
  callgrind_annotate --threshold=100 "$work/cg.$n" >"$work/self.$n" 2>/dev/null
done
python3 - "$work" "$calls" "$here" <<'PY'
import re, sys
work, calls, here = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
def load(path):
    out = {}
    for line in open(path):
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)", line)
        if m:
            out[m.group(2)] = max(out.get(m.group(2), 0), int(m.group(1).replace(",", "")))
    return out
def per_call(kind):
    a, b = load(f"{work}/{kind}.{calls}"), load(f"{work}/{kind}.{3 * calls}")
    return {k: (b[k] - a.get(k, 0)) / (2 * calls) for k in b}
inclusive, self_cost = per_call("in"), per_call("self")
def first(pattern):
    return max((v for k, v in inclusive.items() if re.search(pattern, k)), default=0)
total = self_cost.get("PROGRAM TOTALS", 0)
# The client process only: the sandbox runs elsewhere.
stages = [
    ("input validation (valijson)", first(r"fd::InputValidator::validate\(")),
    ("credentials (remembered after the first call)", first(r"ConnectionSettingsReader::read\(")),
    ("request building (operation, request line, headers)", first(r"make_operation\(") + first(r"first_request\(")),
    ("TLS (OpenSSL encrypt and decrypt)", sum(v for k, v in self_cost.items() if "libssl" in k or "libcrypto" in k)),
    ("HTTP parsing (Beast)", sum(v for k, v in self_cost.items() if "beast::http" in k)),
    ("JSON (Boost.JSON parse and serialize)", sum(v for k, v in self_cost.items() if "boost::json" in k)),
    ("envelope mapping", first(r"success_envelope\(")),
]
print(f"\n{'run_here (ABI 1.2)' if here else 'run_start + condition-variable wait'}")
print(f"\n| stage | instructions per warm call |\n|---|---|")
for name, value in stages:
    print(f"| {name} | {value:,.0f} |")
print(f"| whole client process (host loop, ABI, Asio, malloc, the above) | {total:,.0f} |")
PY
done
