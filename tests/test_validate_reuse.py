"""`fako validate` right after `fako synth` reuses the report the synth stored.

A synth checks everything but the schemas of objects its typed constructs built; the
report it stored is the full one exactly when those schemas are clean. These tests hold
`fako.cli.validate._from_synth` to that: it returns the stored findings for a clean
render, nothing (so the full validation runs) when a typed object breaks its schema, and
it checks each object through the memo once.
"""

from __future__ import annotations

from typing import Any

from fako.cli.validate import _from_synth
from fako.current import CurrentRender
from fako.rendered import Render, RenderedObject
from fako.validation.facts import ClusterFacts
from fako.validation.findings import Finding


class DictMemo:
    """An in-memory `ObjectMemo` that counts what it was asked."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str], list[Finding]] = {}
        self.misses = 0

    def get(self, obj: RenderedObject, part: str) -> list[Finding] | None:
        found = self.found.get((obj.ref, part))
        if found is None:
            self.misses += 1
        return found

    def put(self, obj: RenderedObject, part: str, findings: list[Finding]) -> None:
        self.found[(obj.ref, part)] = findings


def obj(manifest: dict[str, Any], *, typed: bool = True) -> RenderedObject:
    return RenderedObject("apps", "a", manifest, "apps/a/x.yaml", "a/x", "X", "a.py:1", typed=typed)


def config_map(name: str, **extra: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "a"}, **extra}


def current(*objects: RenderedObject) -> CurrentRender:
    render = Render(objects=list(objects), files={}, absent=[], problems=[])
    return CurrentRender(render, ClusterFacts(), "key", True)


STORED = [
    {"severity": "warning", "check": "policy.probes", "ref": "ConfigMap/a/one", "message": "m", "allowed": ""},
    {"severity": "error", "check": "x", "ref": "ConfigMap/a/two", "message": "n", "allowed": "reviewed"},
]


def test_a_clean_render_gets_the_stored_findings_exactly() -> None:
    objects = [obj(config_map("one")), obj(config_map("two"))]
    report = _from_synth(STORED, objects, current(*objects), DictMemo())
    assert report is not None
    assert [(f.severity, f.check, f.ref, f.allowed) for f in report.findings] == [
        ("warning", "policy.probes", "ConfigMap/a/one", ""),
        ("error", "x", "ConfigMap/a/two", "reviewed"),
    ]
    assert report.objects == 2
    assert report.ok  # the only error is allowed


def test_a_typed_object_that_breaks_its_schema_means_a_full_validation() -> None:
    objects = [obj(config_map("one")), obj(config_map("two", spec={"x": 1}))]
    assert _from_synth(STORED, objects, current(*objects), DictMemo()) is None


def test_a_raw_object_was_checked_by_the_synth_already() -> None:
    # the synth's own schema check covered it: its findings are in the stored report
    objects = [obj(config_map("one")), obj(config_map("two", spec={"x": 1}), typed=False)]
    assert _from_synth(STORED, objects, current(*objects), DictMemo()) is not None


def test_nothing_stored_or_a_damaged_entry_is_no_report() -> None:
    objects = [obj(config_map("one"))]
    assert _from_synth(None, objects, current(*objects), DictMemo()) is None
    damaged = [{"severity": "warning", "nonsense": "x"}]
    assert _from_synth(damaged, objects, current(*objects), DictMemo()) is None


def test_objects_the_memo_knows_are_not_checked_again() -> None:
    objects = [obj(config_map("one")), obj(config_map("two"))]
    memo = DictMemo()
    _from_synth(STORED, objects, current(*objects), memo)
    assert memo.misses == 2
    assert memo.found[("ConfigMap/a/one", "schema")] == []
    _from_synth(STORED, objects, current(*objects), memo)
    assert memo.misses == 2
