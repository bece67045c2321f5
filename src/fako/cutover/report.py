"""A cutover report as text (one section per Kustomization, then a summary line) or JSON."""

from __future__ import annotations

import json
from typing import Any

from fako.cutover.compare import CATEGORIES, Category, CutoverReport, Item, Section
from fako.cutover.inventory import clean

__all__ = ["render_json", "render_text"]

_LISTED: tuple[Category, ...] = ("prune", "create", "change", "keep")
"""The order objects are listed in: what the switch removes first."""


def render_text(report: CutoverReport, *, quiet: bool = False) -> str:
    """Each section's counts and (unless `quiet`) its objects, prunes first; notes; the summary."""
    lines: list[str] = []
    for section in report.sections:
        lines.append(_header(section))
        if not quiet:
            lines.extend(f"  {c:<7} {_item(i)}" for c in _LISTED for i in section.items(c))
            lines.append("")
    if report.switched_off:
        lines.append(f"left out {len(report.switched_off)} switched-off units of the old cluster (index.json)")
    if report.absent:
        lines.append(
            f"counted {report.absent} encrypted objects of fako by identity: their SOPS files are not in this checkout"
        )
    lines.extend(
        f"stale intentional prune: {_entry(e.identity)}: nothing pruned matches it; remove it from the plan"
        for e in report.stale
    )
    lines.append(f"cutover: {report.summary()}")
    return "\n".join(lines) + "\n"


def _header(section: Section) -> str:
    n = section.counts()
    role = " (bootstrap: stays)" if section.bootstrap else ""
    return (
        f"{clean(section.label)}{role}: {n['create']} create, {n['change']} change, {n['keep']} keep,"
        f" {n['prune']} prune ({n['prune_on_purpose']} on purpose)"
    )


def _item(item: Item) -> str:
    text = item.id.label
    if item.fields:
        text += f": {', '.join(clean(f) for f in item.fields)}"
    if item.moved_from:
        text += f" [from {clean(item.moved_from)}]"
    if item.reason is not None:
        text += f" [on purpose: {clean(item.reason)}]"
    return text


def _entry(identity: tuple[str, str, str, str]) -> str:
    group, kind, namespace, name = identity
    where = f"{namespace}/{name}" if namespace else name
    return clean(f"{kind} {where}" + (f" ({group})" if group else ""))


def _json_item(item: Item) -> dict[str, Any]:
    return {
        "group": item.id.group,
        "kind": item.id.kind,
        "namespace": item.id.namespace,
        "name": item.id.name,
        "apiVersion": item.api_version,
        "fields": list(item.fields),
        "from": item.moved_from,
        "reason": item.reason,
    }


def render_json(report: CutoverReport, origin: str) -> str:
    """The report as JSON (schema in the README, "Cutover"); keys sorted, stable."""
    data = {
        "from": {"path": origin, "kind": report.source},
        "kustomizations": [
            {
                "old": s.old,
                "new": s.new,
                "bootstrap": s.bootstrap,
                "counts": s.counts(),
                **{c: [_json_item(i) for i in s.items(c)] for c in CATEGORIES},
            }
            for s in report.sections
        ],
        "switched_off": list(report.switched_off),
        "absent_encrypted": report.absent,
        "stale": [e.model_dump() for e in report.stale],
        "summary": {**report.counts(), "kustomizations": len(report.sections), "text": report.summary()},
        "ok": report.ok,
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
