#!/usr/bin/python3
"""python-jsonschema (Debian 12's python3-jsonschema 4.10) on the raw schema files.

Usage: /usr/bin/python3 jsonschema_check.py [PLUGIN_DIR] [CORPUS]

Reads PLUGIN_DIR/package.json (wfp.nodes[].schemas, wfp.credentials_schema) and checks:
  1. every file is a valid draft-07 schema, and no keyword sits beside a $ref (draft-07
     ignores such siblings, so a rule written there silently vanishes);
  2. every $ref resolves, relative to the file (e.g. common.json#/definitions/x);
  3. each corpus input ({node, input, plugin_refused}) gets the plugin's verdict from the
     schemas plus the descriptor rules, as agreement.test.mjs does with Ajv.
Formats this python cannot check (Debian 12 has no rfc3339-validator, so no date-time) are
reported as skipped, not failed. Ends with "N passed, M failed"; exits 1 on any failure.
"""
import datetime
import importlib.metadata
import json
import os
import re
import sys

import jsonschema
from jsonschema import Draft7Validator, FormatChecker, RefResolver

HERE = os.path.dirname(os.path.abspath(__file__))
BLANK = re.compile(r"^[ \t\n\r\f\v]*$")  # the plugin's whitespace set, not Python's \s
FORMATS = FormatChecker()


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def validator_for(path):
    schema = load(path)
    uri = "file://" + os.path.abspath(path)
    return Draft7Validator(schema, resolver=RefResolver(uri, schema), format_checker=FORMATS)


def ref_siblings(schema, at="#"):
    """Places where a keyword sits beside $ref (ignored by draft-07)."""
    found = []
    if isinstance(schema, dict):
        if "$ref" in schema and len(schema) > 1:
            found.append(f"{at}: {sorted(k for k in schema if k != '$ref')} beside $ref")
        for key, value in schema.items():
            found += ref_siblings(value, f"{at}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            found += ref_siblings(value, f"{at}/{i}")
    return found


def refs(schema):
    if isinstance(schema, dict):
        own = [schema["$ref"]] if isinstance(schema.get("$ref"), str) else []
        return own + [r for v in schema.values() for r in refs(v)]
    if isinstance(schema, list):
        return [r for v in schema for r in refs(v)]
    return []


def formats(schema, resolver):
    """The formats a schema uses, following its $refs."""
    if isinstance(schema, dict):
        own = [schema["format"]] if isinstance(schema.get("format"), str) else []
        if isinstance(schema.get("$ref"), str):
            own += formats(resolver.resolve(schema["$ref"])[1], resolver)
        return own + [f for v in schema.values() for f in formats(v, resolver)]
    if isinstance(schema, list):
        return [f for v in schema for f in formats(v, resolver)]
    return []


def is_blank(value):
    if value is None:
        return True
    if isinstance(value, str):
        return bool(BLANK.match(value))
    return isinstance(value, dict) and not value


def given(data, field):
    return field in data and not is_blank(data[field])


def parse_time(text):
    try:
        moment = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00").replace("t", "T"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)  # as JS Date.parse


def item_texts(rule, data):
    """The texts of rule["field"]'s items' rule["item_field"] (A[*].B)."""
    items = data.get(rule["field"])
    if not isinstance(items, list):
        return []
    return [i[rule["item_field"]] for i in items if isinstance(i, dict) and isinstance(i.get(rule["item_field"]), str)]


def base64_size(text):
    """The decoded size of standard base64 text, or -1 when it is not base64."""
    if len(text) % 4 or not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", text):
        return -1
    return len(text) // 4 * 3 - (2 if text.endswith("==") else 1 if text.endswith("=") else 0)


def is_cursor(text):
    """A watch node's cursor: base64url (no padding) of {"v": 1, "t": integer, "ids": [integers]}."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text) or len(text) % 4 == 1:
        return False
    try:
        import base64
        doc = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except ValueError:
        return False
    integer = lambda v: isinstance(v, int) and not isinstance(v, bool)
    return isinstance(doc, dict) and doc.get("v") == 1 and integer(doc.get("t")) and \
        isinstance(doc.get("ids"), list) and all(integer(i) for i in doc["ids"])


def load_corpus(path):
    """A corpus file, or a folder of them (every *.json in it)."""
    if os.path.isdir(path):
        return [e for f in sorted(os.listdir(path)) if f.endswith(".json") for e in load(os.path.join(path, f))]
    return load(path)


def rule_errors(node, data):
    """The descriptor rules, as lib.mjs implements them."""
    errors = []
    for rule in node.get("rules", []):
        kind = rule["kind"]
        if kind == "blank_means_absent":
            continue
        if kind == "at_least_one":
            ok = any(given(data, f) for f in rule["fields"])
        elif kind == "together":
            n = sum(given(data, f) for f in rule["fields"])
            ok = n in (0, len(rule["fields"]))
        elif kind == "cursor":
            ok = not given(data, rule["field"]) or not isinstance(data[rule["field"]], str) or is_cursor(data[rule["field"]])
        elif kind == "not_with":
            ok = not (given(data, rule["field"]) and any(given(data, f) for f in rule["fields"]))
        elif kind in ("base64", "max_total_base64_bytes"):
            sizes = [base64_size(t) for t in item_texts(rule, data)]
            ok = all(s >= 0 for s in sizes) if kind == "base64" else sum(max(0, s) for s in sizes) <= rule["limit"]
        elif kind == "ordered":
            before, after = rule["before"], rule["after"]
            ok = True
            if given(data, before) and given(data, after) and isinstance(data[before], str) and isinstance(data[after], str):
                b, a = parse_time(data[before]), parse_time(data[after])
                ok = b is None or a is None or a > b
        else:
            raise SystemExit(f"{node['id']}: unknown rule kind {kind!r}; teach jsonschema_check.py")
        if not ok:
            errors.append(rule.get("message", kind))
    return errors


def main(argv):
    plugin = os.path.abspath(argv[1] if len(argv) > 1 else os.environ.get("WFP_PLUGIN_DIR", os.path.join(HERE, "..", "..", "build", "plugins", "freshdesk")))
    corpus_file = argv[2] if len(argv) > 2 else os.environ.get("WFP_CANVAS_CORPUS") or next(
        (f for f in (os.path.join(HERE, "..", "..", "build", "corpus"),) if os.path.exists(f)), None)
    wfp = load(os.path.join(plugin, "package.json"))["wfp"]
    passed, failed, skipped = 0, [], 0
    print(f"python-jsonschema {importlib.metadata.version('jsonschema')}; formats checked: {sorted(FORMATS.checkers)}")

    files = {}
    for node in wfp["nodes"]:
        for part, rel in node["schemas"].items():
            files[f"{node['id']} {part}"] = os.path.join(plugin, rel)
    if wfp.get("credentials_schema"):
        files["credentials"] = os.path.join(plugin, wfp["credentials_schema"])
    for name, path in files.items():
        problems = []
        schema = load(path)
        try:
            Draft7Validator.check_schema(schema)
        except jsonschema.SchemaError as e:
            problems.append(f"not a draft-07 schema: {e.message}")
        problems += ref_siblings(schema)
        resolver = RefResolver("file://" + os.path.abspath(path), schema)
        for ref in refs(schema):
            try:
                resolver.resolve(ref)
            except jsonschema.RefResolutionError as e:
                problems.append(f"$ref {ref} does not resolve: {e}")
        if problems:
            failed.append(f"{name} ({path}): " + "; ".join(problems))
        else:
            passed += 1

    if corpus_file:
        nodes = {n["id"]: n for n in wfp["nodes"]}
        checkers = {nid: {p: validator_for(os.path.join(plugin, n["schemas"][p])) for p in ("inputs", "options")} for nid, n in nodes.items()}
        # Fields whose schema uses a format this python cannot check: a refusal may rest on it.
        unchecked = {nid: {name for v in c.values() for name, s in v.schema.get("properties", {}).items()
                           if set(formats(s, v.resolver)) - set(FORMATS.checkers)} for nid, c in checkers.items()}
        for i, entry in enumerate(load_corpus(corpus_file)):
            node = nodes.get(entry["node"])
            if node is None:
                failed.append(f"corpus #{i}: unknown node {entry['node']}")
                continue
            if "input_text" in entry:  # not a JSON value: nothing a canvas can send, always refused
                passed += 1 if entry["plugin_refused"] else 0
                if not entry["plugin_refused"]:
                    failed.append(f"corpus #{i}: the plugin accepted a text that is not JSON")
                continue
            data = entry["input"]
            inputs, options = checkers[node["id"]]["inputs"], checkers[node["id"]]["options"]
            known = set(inputs.schema.get("properties", {})) | set(options.schema.get("properties", {}))
            if isinstance(data, dict) and any(r["kind"] == "blank_means_absent" for r in node.get("rules", [])):
                required = set(inputs.schema.get("required", []))
                data = {k: v for k, v in data.items() if not (k in known and k not in required and is_blank(v))}
            reasons = [f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for v in (inputs, options) for e in v.iter_errors(data)]
            if isinstance(data, dict):
                reasons += [f"unknown field {k}" for k in data if k not in known]
                reasons += rule_errors(node, data)
            refused = bool(reasons)
            if refused == entry["plugin_refused"]:
                passed += 1
            elif not refused and isinstance(data, dict) and set(data) & unchecked[node["id"]]:
                skipped += 1
                print(f"skipped corpus #{i} {node['id']} {json.dumps(entry['input'])[:120]}: the plugin refused it; "
                      f"{sorted(set(data) & unchecked[node['id']])} use a format this python does not check")
            else:
                failed.append(f"corpus #{i} {node['id']} {json.dumps(entry['input'])[:200]}: plugin "
                              f"{'refused' if entry['plugin_refused'] else 'accepted'}, python-jsonschema {'refused: ' + '; '.join(reasons) if refused else 'accepted'}")

    for line in failed:
        print("FAIL", line)
    print(f"{passed} passed, {len(failed)} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
