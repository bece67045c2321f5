"""`EmitMemo`: an app's YAML reused only for documents identical in content, order and type."""

from __future__ import annotations

import datetime

from fako.emit import EmitMemo, dump_all


def test_identical_documents_give_the_remembered_text_and_others_their_own() -> None:
    memo = EmitMemo()
    doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"port": "80"}}
    first = memo.dump_all([doc])
    assert first == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  port: '80'\n"
    assert memo.dump_all([dict(doc)]) is first
    as_int = {**doc, "data": {"port": 80}}
    assert memo.dump_all([as_int]).endswith("  port: 80\n")
    reordered = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"b": "1", "a": "2"}}
    swapped = {**reordered, "data": {"a": "2", "b": "1"}}
    assert memo.dump_all([reordered]) == dump_all([reordered])
    assert memo.dump_all([swapped]) == dump_all([swapped])
    assert memo.dump_all([{**doc, "data": {"flag": True}}]).endswith("  flag: true\n")
    assert memo.dump_all([{**doc, "data": {"flag": 1}}]).endswith("  flag: 1\n")


def test_documents_json_cannot_hold_are_emitted_every_time() -> None:
    memo = EmitMemo()
    doc = {"kind": "X", "when": datetime.date(2026, 12, 6)}
    assert memo.dump_all([doc]) == dump_all([doc])
    assert memo._texts == {}


def test_the_memory_is_bounded() -> None:
    memo = EmitMemo(limit=2)
    for i in range(3):
        memo.dump_all([{"kind": "X", "n": i}])
    assert len(memo._texts) == 1
