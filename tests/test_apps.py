"""Every unit of the cluster: imports, has its docstrings, renders standalone and passes the
checks that need no other app.

No test keeps a copy of the render: a bot's one-line change (an image tag, a memory limit)
must pass without editing a test. What a change does to the render is shown by `fako diff`
on the pull request; what must never change (stateful names, selectors) is pinned by the
fine-grained tests of each app group.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from fako.checks import run_validation
from fako.clusters.staging import CLUSTER
from fako.clusters.staging_facts import ALLOW
from fako.testing import render_apps
from fako.tree import AppConstruct
from fako.validation import ClusterFacts, Report

UNITS = [(layer.name, unit.app) for layer in CLUSTER.layers for unit in layer.units]


@pytest.mark.parametrize(("layer", "app"), UNITS, ids=[f"{layer}/{app.name}" for layer, app in UNITS])
def test_unit_renders_standalone_and_validates(layer: str, app: type[AppConstruct]) -> None:
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


def test_every_app_module_defines_exactly_one_app() -> None:
    apps_dir = Path(__file__).parent.parent / "src" / "fako" / "apps"
    for path in sorted(apps_dir.glob("*.py")):
        if path.name.startswith("_"):
            continue  # the package itself and private parts an app module composes
        module = importlib.import_module(f"fako.apps.{path.stem}")
        found = [
            v
            for v in vars(module).values()
            if isinstance(v, type) and issubclass(v, AppConstruct) and v.__module__ == module.__name__
        ]
        assert len(found) == 1, f"{path.name} defines {len(found)} AppConstruct subclasses"


def test_every_app_module_is_at_most_250_lines() -> None:
    apps_dir = Path(__file__).parent.parent / "src" / "fako" / "apps"
    long = {p.name: n for p in sorted(apps_dir.glob("*.py")) if (n := len(p.read_text().splitlines())) > 250}
    assert long == {}, long
