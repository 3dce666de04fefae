#!/usr/bin/env python3
"""Peer: what most people hand-write - a requests.Session loop (keep-alive) doing GET calls.

usage: python_requests.py BASE_URL CA_FILE API_KEY PATH CALLS
Prints one JSON line: {"peer": "python-requests", "calls": N, "ok": N, "seconds": S, "rate_limited": N}.
"""
import json
import sys
import time

import requests


def main():
    base_url, ca_file, api_key, path, calls = sys.argv[1:6]
    calls = int(calls)
    session = requests.Session()
    session.auth = (api_key, "X")
    session.verify = ca_file
    session.headers["Accept"] = "application/json"
    url = base_url.rstrip("/") + path
    ok = limited = 0
    started = time.perf_counter()
    for _ in range(calls):
        # verify per request: REQUESTS_CA_BUNDLE in the environment would override session.verify
        response = session.get(url, timeout=30, verify=ca_file)
        response.json()
        if response.status_code == 200:
            ok += 1
        elif response.status_code == 429:
            limited += 1
    seconds = time.perf_counter() - started
    print(json.dumps({"peer": "python-requests", "calls": calls, "ok": ok, "seconds": seconds, "rate_limited": limited}))


if __name__ == "__main__":
    main()
