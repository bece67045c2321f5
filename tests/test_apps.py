"""Every unit of the cluster: imports, renders standalone, passes validation, matches its snapshot.

Snapshots live in tests/snapshots/<layer>/<unit>.yaml, committed and reviewed like code. A
missing one fails the test; only `FAKO_UPDATE_SNAPSHOTS=1 pytest tests/test_apps.py` writes
them (after a deliberate change: run it, review the diff, commit it).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest

from fako.checks import run_validation
from fako.clusters.staging import CLUSTER
from fako.clusters.staging_facts import ALLOW
from fako.testing import render_apps
from fako.tree import AppConstruct
from fako.validation import ClusterFacts, Report

SNAPSHOTS = Path(__file__).parent / "snapshots"
UNITS = [(layer.name, unit.app) for layer in CLUSTER.layers for unit in layer.units]


@pytest.mark.parametrize(("layer", "app"), UNITS, ids=[f"{layer}/{app.name}" for layer, app in UNITS])
def test_unit_renders_standalone_validates_and_matches_snapshot(layer: str, app: type[AppConstruct]) -> None:
    module = importlib.import_module(app.__module__)
    assert module.__doc__ and module.__doc__.strip(), f"{app.__module__} has no docstring"
    assert app.__doc__, f"{app.__qualname__} has no docstring"
    result = render_apps(app)
    assert result.objects, f"{app.name} renders nothing"
    assert not result.problems
    # the cluster's reviewed allow-list applies standalone too (wger carries an identity defect)
    facts = ClusterFacts(fixtures=frozenset({app.name} if app.fixture else set()), allow=ALLOW)
    report = run_validation(result.objects, facts)
    kept = [f for f in report.errors if f.check.split(".")[0] in ("schema", "identity", "policy")]
    assert not kept, Report.of(kept, report.objects).to_text()
    text = b"".join(data for path, data in sorted(result.files.items()) if not path.endswith("kustomization.yaml"))
    snapshot = SNAPSHOTS / layer / f"{app.name}.yaml"
    if os.environ.get("FAKO_UPDATE_SNAPSHOTS") == "1":
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_bytes(text)
    if not snapshot.exists():
        pytest.fail(
            f"{snapshot} is missing: write it with `FAKO_UPDATE_SNAPSHOTS=1 pytest tests/test_apps.py`, review it, commit it"
        )
    assert text == snapshot.read_bytes(), f"{app.name} differs from {snapshot}; review and refresh the snapshot"


def test_every_app_module_defines_exactly_one_app() -> None:
    apps_dir = Path(__file__).parent.parent / "src" / "fako" / "apps"
    for path in sorted(apps_dir.glob("*.py")):
        if path.name == "__init__.py":
            continue
        module = importlib.import_module(f"fako.apps.{path.stem}")
        found = [
            v
            for v in vars(module).values()
            if isinstance(v, type) and issubclass(v, AppConstruct) and v.__module__ == module.__name__
        ]
        assert len(found) == 1, f"{path.name} defines {len(found)} AppConstruct subclasses"


def test_every_snapshot_belongs_to_a_unit() -> None:
    units = {f"{layer}/{app.name}.yaml" for layer, app in UNITS}
    stale = sorted(
        str(p.relative_to(SNAPSHOTS)) for p in SNAPSHOTS.rglob("*.yaml") if str(p.relative_to(SNAPSHOTS)) not in units
    )
    assert stale == [], f"snapshots of no unit (delete them): {stale}"
