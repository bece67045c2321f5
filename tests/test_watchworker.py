"""The `fako watch` worker's parts that need no running watch: warming up, reload order."""

from __future__ import annotations

from pathlib import Path

import pytest

import fako.synth
from fako.watchworker import Worker, _reloadable


def test_warm_loads_the_cluster_once_and_keeps_its_errors_for_the_render(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def failing(cluster: str) -> None:
        calls.append(cluster)
        raise SyntaxError("half-typed app module")

    monkeypatch.setattr(fako.synth, "load_definition", failing)
    worker = Worker("staging", Path("/nonexistent"), False)
    worker.warm()  # an error here is the next render's to report: nothing escapes
    worker.warm()
    assert calls == ["staging"]


def test_warm_imports_the_cluster_definition(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[str] = []
    monkeypatch.setattr(fako.synth, "load_definition", loaded.append)
    Worker("prod", None, True).warm()
    assert loaded == ["prod"]


def test_only_definition_modules_are_reloaded_in_place() -> None:
    assert _reloadable("fako.apps.umami")
    assert _reloadable("fako.clusters")
    assert not _reloadable("fako.appsx")
    assert not _reloadable("fako.tree")
