# Sourced by the bench scripts that drive bench/plain_host: builds it, starts a `flowrun sandbox`
# with the given options (stopped and cleaned up on exit), and sets
#   sandbox_line   the sandbox's JSON line (base_url, ca_file, api_key, domain, control_url)
#   library        the plugin library, as the plugin folder's package.json names it
# json_field JSON KEY prints one field of a JSON object.
# sandbox_credentials UPDATES prints the sandbox's line as the plugin's credentials (without
# control_url), with UPDATES (a JSON object) merged in; a null there drops that key.
cmake --build build --target plain_host flowrun >/dev/null

json_field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

sandbox_credentials() {
  python3 -c "
import json, sys
d = json.loads(sys.argv[1]); d.pop('control_url'); d.update(json.loads(sys.argv[2]))
print(json.dumps({key: value for key, value in d.items() if value is not None}))" "$sandbox_line" "$1"
}

start_sandbox() {
  work=$(mktemp -d)
  trap 'kill "$sandbox" 2>/dev/null; rm -rf "$work"' EXIT
  build/flowrun sandbox "$@" >"$work/sandbox.json" 2>/dev/null &
  sandbox=$!
  for _ in $(seq 200); do [[ -s "$work/sandbox.json" ]] && break; sleep 0.05; done
  sandbox_line=$(head -1 "$work/sandbox.json")
}

library=build/plugins/freshdesk/$(python3 -c "import json; print(json.load(open('build/plugins/freshdesk/package.json'))['wfp']['library'])")
