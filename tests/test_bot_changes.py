"""Issue 12: the changes bots make reach the cluster as one line of one file.

Renovate bumps an image tag and a Helm chart version; the in-cluster agent raises one
container's memory limit. Each is replayed here on a copy of this checkout as a real git
commit, then put through what a pull request is checked with: the change is one line of
one Python file, ruff passes, no test names the old value, with all three changes mypy passes
and the cluster renders and validates, and `fako diff --base HEAD~1 --head HEAD` (each commit rendered by its own
code) shows exactly the one field that changed.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BIN, ROOT, fako

_SKIP = {".venv", ".git", "dist", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build"}


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True)
    return proc.stdout


def _copy(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, ignore=lambda _d, names: [n for n in names if n in _SKIP or n.endswith(".egg-info")])


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's working tree as a fresh repository with one commit."""
    repo = tmp_path_factory.mktemp("bot") / "fako-cluster"
    _copy(ROOT, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.test", "commit", "-q", "-m", "base")
    return repo


def _pinned(repo: Path, file: str, old: str, name: str) -> list[str]:
    """Where a test names `old` (quotes stripped) in a string literal: anywhere when the value
    is specific (a version); when it is a common one (a size like `2Gi`), in a test function
    that also names the changed object `name`."""
    value = old.strip('"')
    specific = any(c.isdigit() for c in value) and "." in value
    found = []
    for path in sorted((repo / "tests").glob("test_*.py")):
        if path.name == "test_bot_changes.py":
            continue
        tree = ast.parse(path.read_text())
        scopes = [tree] if specific else [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for scope in scopes:
            texts = [
                (n.lineno, n.value) for n in ast.walk(scope) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
            if not specific and not any(name in text for _, text in texts):
                continue
            found += [f"{path.name}:{line}" for line, text in texts if (value in text if specific else text == value)]
    return sorted(set(found))


def _edit(path: Path, find: Callable[[list[str]], int], old: str, new: str) -> None:
    lines = path.read_text().split("\n")
    i = find(lines)
    assert lines[i].count(old) == 1, f"{path.name}:{i + 1}: {lines[i]!r} does not hold {old!r} once"
    lines[i] = lines[i].replace(old, new)
    path.write_text("\n".join(lines))


def _line_with(text: str) -> Callable[[list[str]], int]:
    def find(lines: list[str]) -> int:
        [i] = [n for n, line in enumerate(lines) if text in line]
        return i

    return find


def _first_after(anchor: str, text: str) -> Callable[[list[str]], int]:
    def find(lines: list[str]) -> int:
        start = next(n for n, line in enumerate(lines) if anchor in line)
        return next(n for n in range(start, len(lines)) if text in lines[n])

    return find


CHANGES = [
    pytest.param(
        "src/fako/apps/n8n.py",
        _line_with('image="n8nio/n8n:1.123.64"'),
        "1.123.64",
        "1.123.65",
        (
            "Deployment",
            "n8n",
            "n8n",
            "spec.template.spec.containers[name=n8n].image",
            "n8nio/n8n:1.123.64",
            "n8nio/n8n:1.123.65",
        ),
        id="renovate-image",
    ),
    pytest.param(
        "src/fako/infra/cloudnative_pg.py",
        _line_with('version="^0.27.0"'),
        "^0.27.0",
        "^0.28.0",
        ("HelmRelease", "cnpg-system", "cloudnative-pg", "spec.chart.spec.version", "^0.27.0", "^0.28.0"),
        id="renovate-chart",
    ),
    pytest.param(
        "src/fako/apps/zi.py",
        _first_after('Agent(name="k8s-engineer"', 'memory=("256Mi", "2Gi")'),
        '"2Gi"',
        '"3Gi"',
        (
            "Deployment",
            "zi",
            "agent-k8s-engineer",
            "spec.template.spec.containers[name=agent].resources.limits.memory",
            "2Gi",
            "3Gi",
        ),
        id="oom-memory-limit",
    ),
]


@pytest.fixture(scope="module")
def changed(repo: Path) -> dict[str, str]:
    """The three bot changes, each one commit on top of the base: file -> its commit."""
    commits = {}
    for change in CHANGES:
        file, find, old, new, _ = change.values
        _edit(repo / file, find, old, new)
        git(repo, "-c", "user.name=bot", "-c", "user.email=bot@example.test", "commit", "-q", "-am", f"bump {file}")
        commits[file] = git(repo, "rev-parse", "HEAD").strip()
    return commits


@pytest.mark.slow
@pytest.mark.parametrize(("file", "find", "old", "new", "expected"), CHANGES)
def test_a_bot_change_is_one_line_that_passes_the_checks_and_diffs_as_one_field(
    repo: Path,
    changed: dict[str, str],
    file: str,
    find: Callable[[list[str]], int],
    old: str,
    new: str,
    expected: tuple[str, str, str, str, str, str],
) -> None:
    commit = changed[file]

    # one line of one file
    numstat = git(repo, "diff", "--numstat", f"{commit}~1", commit).split()
    assert numstat == ["1", "1", file], numstat

    # the PR checks: lint; no test names the old value (the suite itself runs on every PR:
    # what a bot's change could break there is a test pinning the value it moved); types,
    # render and validate: once over all three changes, below
    ruff = subprocess.run([str(BIN / "ruff"), "check", "--quiet", str(repo / file)], capture_output=True, text=True)
    assert ruff.returncode == 0, ruff.stdout
    assert _pinned(repo, file, old, expected[2]) == [], f"tests pin {old!r}, which this change moves"

    # the rendered change is exactly one field of one object
    diff = fako("diff", "--base", f"{commit}~1", "--head", commit, "--format", "json", cwd=repo)
    assert diff.returncode == 0, diff.stderr
    [change] = json.loads(diff.stdout)["changes"]
    kind, namespace, name, path, before, after = expected
    assert (change["kind"], change["namespace"], change["name"], change["change"]) == (kind, namespace, name, "changed")
    assert change["fields"] == [{"path": path, "before": before, "after": after}]


@pytest.mark.slow
def test_the_tree_with_all_bot_changes_passes_mypy_and_validates(repo: Path, changed: dict[str, str]) -> None:
    assert git(repo, "rev-parse", "HEAD").strip() == changed["src/fako/apps/zi.py"]
    mypy = subprocess.run([str(BIN / "mypy")], cwd=repo, capture_output=True, text=True)
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    validate = fako("validate", "--include-disabled", cwd=repo)
    assert validate.returncode == 0, validate.stdout[-2000:] + validate.stderr
