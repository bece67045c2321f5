"""The benchmarks run end to end and print their tables (their timings are not asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"
CLASS_ROWS = (
    "1. names and keys",
    "2. values",
    "3. pod-spec invariants",
    "4. cross-object semantics",
    "5. references",
    "6. security",
    "7. secrets",
    "8. identities and hosts",
)


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args], capture_output=True, text=True, check=False, cwd=ROOT
    )


def test_mutation_benchmark_quick_plants_one_mistake_per_class_and_agrees_with_the_cli(full_render: Path) -> None:
    proc = _run("mutations.py", "--quick", "--check", "--render", str(full_render), "--cli", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "baseline: 0 errors" in out
    assert "8 mutations validated" in out
    header = next(line for line in out.splitlines() if line.startswith("class"))
    assert header.split()[:4] == ["class", "planted", "caught", "share"]
    rows = {
        line[:28].strip(): line[28:].split() for line in out.splitlines() if line[:2] in {f"{i}." for i in range(1, 9)}
    }
    assert sorted(rows) == sorted(CLASS_ROWS)
    for name in CLASS_ROWS:
        planted, caught, share = rows[name][:3]
        assert (planted, caught, share) == ("1", "1", "100.0%"), name
    # the quick cases are mistakes the engine has long caught, planted in linkding, voice-ingest,
    # audiobookshelf, donetick, sftp-server and ollama-jetson
    assert "overall: 8/8 caught (100.0%) across 6 apps" in out
    assert "API server would reject: 3/3 caught (100.0%)" in out
    assert "missed: none" in out
    assert "cross-check with `fako validate --include-disabled DIR` on 1 mutated tree:" in out
    assert "deployment-name-uppercase              same new errors (1 from the CLI, 1 in-process)" in out


def test_mutation_benchmark_refuses_an_unknown_case() -> None:
    proc = _run("mutations.py", "--case", "no-such-case")
    assert proc.returncode == 2
    assert "unknown case no-such-case" in proc.stderr


def test_validate_benchmark_prints_every_engine_stage() -> None:
    proc = _run("validate.py", "--runs", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "the staging cluster with switched-off apps (as `fako validate --include-disabled`)" in out
    lines = out.splitlines()
    header = next(line for line in lines if line.strip().startswith("stage"))
    assert header.split() == ["stage", "first", "ms", "best", "ms", "ms/object"]
    stages = [line.split()[0] for line in lines[lines.index(header) + 1 :] if line.startswith("  ")]
    for stage in ("expand_lists", "Inventory", "check_objects", "check_schemas", "check_references", "check_hosts"):
        assert stage in stages
    assert stages[-1] == "total"
    assert stages.index("check_objects") < stages.index("check_schemas") < stages.index("check_references")
    check_time = next(line for line in lines if line.startswith("check time: "))
    assert "ms/object best" in check_time
    assert "0 errors" in check_time
