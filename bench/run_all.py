#!/usr/bin/env python3
"""Runs every benchmark against one `flowrun sandbox` and prints the results table.

usage: bench/run_all.py [--calls N] [--rounds R] [--quick] [--cpu]
(bench/run_all.sh installs what the peers need, builds, and runs this.)

All figures come from one run on one machine: medians of rounds, and ratios between
measurements taken side by side. Absolute times on shared machines are noise; ratios are not.
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
BENCH = os.path.join(BUILD, "bench")  # where the bench programs land
PEERS = os.path.join(ROOT, "bench", "peers")
TICKET_PATH = "/api/v2/tickets/1"


def median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else 0.0


class Sandbox:
    """`flowrun sandbox` as its own process, so every client measures against the same server."""

    def __init__(self):
        self.process = subprocess.Popen(
            [os.path.join(BUILD, "flowrun"), "sandbox", "--seed-tickets", "10", "--seed-contacts", "5",
             "--rate-limit", "100000000"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.info = json.loads(self.process.stdout.readline())

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.info["control_url"] + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
            return json.loads(text) if text else None

    def counters(self):
        return self.control("GET", "/control/counters")

    def rate_limit(self, budget, window):
        self.control("PUT", "/control/rate_limit", {"budget": budget, "window_seconds": window})

    def stop(self):
        try:
            self.control("POST", "/control/shutdown")
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def plugin_bench(sandbox, *args):
    command = [os.path.join(BENCH, "plugin_bench"), "--base-url", sandbox.info["base_url"],
               "--ca-file", sandbox.info["ca_file"], "--api-key", sandbox.info["api_key"],
               "--control-url", sandbox.info["control_url"], *map(str, args)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"plugin_bench {' '.join(map(str, args))} failed: {result.stderr.strip()}")
    output = result.stdout
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def peer(sandbox, name, calls):
    info = sandbox.info
    args = [info["base_url"], info["ca_file"], info["api_key"], TICKET_PATH, str(calls)]
    if name == "curl":
        command = ["bash", os.path.join(PEERS, "curl_per_call.sh"), *args]
    elif name == "python-requests":
        command = [sys.executable, os.path.join(PEERS, "python_requests.py"), *args]
    else:
        command = ["node", os.path.join(PEERS, "node_axios.mjs"), *args]
    before = sandbox.counters()
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        return None
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    after = sandbox.counters()
    figures["calls_per_second"] = figures["ok"] / figures["seconds"] if figures["seconds"] else 0
    figures["tls_handshakes"] = after["tls_handshakes"] - before["tls_handshakes"]
    return figures


def peer_available(name):
    if name == "curl":
        return shutil.which("curl") is not None
    if name == "python-requests":
        return subprocess.run([sys.executable, "-c", "import requests"], capture_output=True).returncode == 0
    return shutil.which("node") is not None and os.path.isdir(os.path.join(PEERS, "node_modules", "axios"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--curl-calls", type=int, default=300)
    parser.add_argument("--memory-calls", type=int, default=100000)
    parser.add_argument("--rate-calls", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke run")
    parser.add_argument("--cpu", action="store_true", help="also count instructions per call (callgrind)")
    options = parser.parse_args()
    if options.quick:
        options.calls, options.rounds, options.curl_calls = 500, 3, 30
        options.memory_calls, options.rate_calls = 5000, 150

    sandbox = Sandbox()
    rows = {}
    try:
        lines = plugin_bench(sandbox, "--phase", "load")
        lines += plugin_bench(sandbox, "--phase", "compare", "--calls", options.calls, "--rounds", options.rounds)
        lines += plugin_bench(sandbox, "--phase", "threads", "--calls", options.calls)
        lines += plugin_bench(sandbox, "--phase", "memory", "--memory-calls", options.memory_calls)
        for line in lines:
            key = line["phase"] + (str(line["threads"]) if "threads" in line else "")
            rows[key] = line
        # The same comparison with the host helper sleeping at once instead of spinning briefly.
        for line in plugin_bench(sandbox, "--phase", "compare", "--calls", options.calls, "--rounds", options.rounds,
                                 "--spin-us", 0):
            rows[line["phase"] + "_no_spin"] = line

        peers = {}
        for name in ("curl", "python-requests", "node-axios"):
            if not peer_available(name):
                print(f"(peer {name} not available: run bench/run_all.sh to install it)", file=sys.stderr)
                continue
            calls = options.curl_calls if name == "curl" else options.calls
            rates = []
            figures = None
            for _ in range(options.rounds if name != "curl" else 1):
                figures = peer(sandbox, name, calls)
                if figures:
                    rates.append(figures["calls_per_second"])
            if figures:
                figures["calls_per_second"] = median(rates)
                peers[name] = figures

        # Rate limits: the same budget for each client, a fresh window each time.
        # About five windows' worth of calls, so pacing across windows is what is measured.
        window = 3 if options.quick else 10
        budget = max(10, options.rate_calls // 5)
        rate_rows = []
        sandbox.rate_limit(budget, window)
        rate_rows += plugin_bench(sandbox, "--phase", "rate", "--rate-calls", options.rate_calls,
                                  "--rate-budget", budget, "--rate-window", window)
        for name in ("python-requests", "node-axios"):
            if name in peers:
                time.sleep(window + 1)
                sandbox.rate_limit(budget, window)
                started = time.perf_counter()
                figures = peer(sandbox, name, options.rate_calls)
                elapsed = time.perf_counter() - started
                if figures:
                    rate_rows.append({"peer": name, "calls": options.rate_calls,
                                      "lost": options.rate_calls - figures["ok"],
                                      "answered_429": figures["rate_limited"], "seconds": elapsed})
        sandbox.rate_limit(100000000, 60)
    finally:
        sandbox.stop()

    limit = rows["limit"]["calls_per_second"]
    plugin = rows["plugin"]["calls_per_second"]
    print(f"\n## Results ({options.rounds} rounds, medians; {options.calls} calls per round)\n")
    print("| client | calls/s | ratio to the plugin | TLS handshakes |")
    print("|---|---|---|---|")
    print(f"| limit: bare Beast keep-alive client | {limit:,.0f} | {limit / plugin:.2f} | 1 per round |")
    print(f"| plugin through the C ABI, warm | {plugin:,.0f} | 1.00 (= {plugin / limit:.2f} of the limit) | "
          f"{rows['plugin']['plugin_tls_handshakes']} over {rows['plugin']['calls']} calls |")
    no_spin = rows["plugin_no_spin"]
    print(f"| plugin, host thread sleeping at once (no spin) | {no_spin['calls_per_second']:,.0f} | "
          f"{no_spin['calls_per_second'] / plugin:.2f} (= {no_spin['ratio_to_limit']:.2f} of its limit run) | "
          f"{no_spin['plugin_tls_handshakes']} over {no_spin['calls']} calls |")
    for name, figures in peers.items():
        print(f"| peer: {name} | {figures['calls_per_second']:,.0f} | {figures['calls_per_second'] / plugin:.2f} | "
              f"{figures['tls_handshakes']} over {figures['calls']} calls |")

    print("\n| threads on one plugin | calls/s | p50 | p99 |")
    print("|---|---|---|---|")
    for threads in (1, 4, 16):
        row = rows[f"threads{threads}"]
        print(f"| {threads} | {row['calls_per_second']:,.0f} | {row['p50_us']:.0f} us | {row['p99_us']:.0f} us |")

    memory = rows["memory"]
    growth = (memory["rss_kib_after"] - memory["rss_kib_series"][0]) / max(1, memory["calls"]) * 100000
    print(f"\n| memory | resident |\n|---|---|")
    print(f"| host before loading the plugin | {memory['rss_kib_host_only'] / 1024:.1f} MiB |")
    print(f"| plugin loaded, idle | {memory['rss_kib_idle'] / 1024:.1f} MiB |")
    print(f"| after {memory['calls']:,} calls | {memory['rss_kib_after'] / 1024:.1f} MiB "
          f"(growth after the first tenth: {growth:,.0f} KiB per 100k calls) |")
    print(f"\nLoad (dlopen + init + reading the ten descriptors): {rows['load']['median_us']:,.0f} us median")

    print(f"\n| under a rate limit of {budget} per {window} s, {options.rate_calls} calls | lost to 429 | 429 answers | "
          f"share of the allowed rate |")
    print("|---|---|---|---|")
    for row in rate_rows:
        # The windows the run touched, each worth `budget` calls.
        windows = max(1, math.ceil(row["seconds"] / window - 0.02))
        share = (row["calls"] - row["lost"]) / (windows * budget)
        print(f"| {row['peer']} | {row['lost']} | {row['answered_429']} | {share:.2f} "
              f"({row['calls'] - row['lost']} calls in {windows} windows) |")

    if options.cpu:
        subprocess.run(["bash", os.path.join(ROOT, "bench", "cpu_per_call.sh")], check=False)


if __name__ == "__main__":
    main()
