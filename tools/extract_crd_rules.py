#!/usr/bin/env python3
"""Extract the CEL validation rules of the CRD schemas fako validates custom resources with.

    python tools/extract_crd_rules.py [--crds ../shared/schemas/crds] [--out PATH] [--check]

Every `x-kubernetes-validations` rule of every CRD JSON schema under `--crds` is written,
by `apiVersion` and kind, to `src/fako/validation/files/crd_rules.json`, with the path of
the schema node it sits on (`spec`, `bootstrap`, `[]` for list items, `{}` for map
values) and the defaults of that node's subtree (the API server applies them before it
evaluates a rule). Transition rules (those using `oldSelf`) compare an update with the
stored object; fako only ever creates, so they are listed as skipped with that reason.
`--check` exits 1 when the committed file differs from a fresh extraction.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CRDS = ROOT.parent / "shared" / "schemas" / "crds"
DEFAULT_OUT = ROOT / "src" / "fako" / "validation" / "files" / "crd_rules.json"


def _defaults(node: dict[str, Any]) -> dict[str, Any]:
    """The schema subtree reduced to what defaulting needs: `default`, `properties`,
    `items`, `additionalProperties`; empty when nothing below has a default."""
    out: dict[str, Any] = {}
    props = {}
    for name, sub in sorted((node.get("properties") or {}).items()):
        reduced = _defaults(sub)
        if "default" in sub:
            reduced["default"] = sub["default"]
        if reduced:
            props[name] = reduced
    if props:
        out["properties"] = props
    for key in ("items", "additionalProperties"):
        sub = node.get(key)
        if isinstance(sub, dict):
            reduced = _defaults(sub)
            if "default" in sub:
                reduced["default"] = sub["default"]
            if reduced:
                out[key] = reduced
    return out


def _walk(node: Any, path: list[str], found: list[tuple[list[str], dict[str, Any], dict[str, Any]]]) -> None:
    if not isinstance(node, dict):
        return
    for validation in node.get("x-kubernetes-validations") or []:
        found.append((path, validation, node))
    for name, sub in sorted((node.get("properties") or {}).items()):
        _walk(sub, [*path, name], found)
    if isinstance(node.get("items"), dict):
        _walk(node["items"], [*path, "[]"], found)
    if isinstance(node.get("additionalProperties"), dict):
        _walk(node["additionalProperties"], [*path, "{}"], found)
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in node.get(key) or []:
            _walk(sub, path, found)


def extract(crds: Path) -> dict[str, Any]:
    """{"kinds": {"group/version Kind": [rule, ...]}, "skipped": [...]} from the CRD schemas."""
    kinds: dict[str, list[dict[str, Any]]] = {}
    skipped: list[dict[str, Any]] = []
    for file in sorted(crds.glob("*/*.json")):
        schema = json.loads(file.read_text())
        for gvk in schema.get("x-kubernetes-group-version-kind") or []:
            key = f"{gvk['group']}/{gvk['version']} {gvk['kind']}"
            found: list[tuple[list[str], dict[str, Any], dict[str, Any]]] = []
            _walk(schema, [], found)
            for path, validation, node in found:
                entry: dict[str, Any] = {"path": path, "rule": validation["rule"]}
                for field in ("message", "messageExpression", "fieldPath", "reason"):
                    if field in validation:
                        entry[field] = validation[field]
                if "oldSelf" in validation["rule"]:
                    skipped.append({"kind": key, **entry, "why": "transition rule (oldSelf): only checked on update"})
                    continue
                defaults = _defaults(node)
                if defaults:
                    entry["defaults"] = defaults
                kinds.setdefault(key, []).append(entry)
    return {"source": "x-kubernetes-validations of ../shared/schemas/crds", "kinds": kinds, "skipped": skipped}


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--crds", type=Path, default=DEFAULT_CRDS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file is out of date")
    args = parser.parse_args()
    text = render(extract(args.crds))
    if args.check:
        current = args.out.read_text() if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run tools/extract_crd_rules.py", file=sys.stderr)
            return 1
        print(f"{args.out} is current")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    data = json.loads(text)
    count = sum(len(v) for v in data["kinds"].values())
    print(f"wrote {count} rules of {len(data['kinds'])} kinds ({len(data['skipped'])} transition rules skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
