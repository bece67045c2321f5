"""Parity with the real cluster (../shared/reference), object by object, so it cannot regress."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path
from types import ModuleType

from conftest import BIN, ROOT, fako

PROOF_UNITS = ["whisperx", "fieldy-webhook", "open-webui", "hume-collector", "postgres-cluster"]
PLATFORM_LAYERS = [
    "infrastructure-controllers",
    "infrastructure-configs",
    "monitoring-controllers",
    "monitoring-configs",
]


def parity(shared: Path, dist: Path, *args: str) -> tuple[str, list[dict[str, object]], str]:
    out = dist.parent / "parity.json"
    proc = subprocess.run(
        [
            str(BIN / "python"),
            str(shared / "tools" / "parity.py"),
            "--reference",
            str(shared / "reference" / "fako-cluster"),
            "--dist",
            str(dist),
            "--quiet",
            "--json",
            str(out),
            *args,
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1], json.loads(out.read_text()), proc.stdout


KNOWN_DIFFERENCES = {
    # object -> why fako differs from the running cluster on purpose, or cannot match it here
    "postgres-cluster: Job postgres/postgres-database-init (batch/v1) differs": (
        "the init script quotes each database and fails loudly instead of hiding errors behind 2>/dev/null"
    ),
    "paperless-ngx: PersistentVolume paperless-rpi-consume (v1) missing": (
        "encrypted by the owner together with its claim in one two-document SOPS file: absent from this checkout"
    ),
    "paperless-ngx: PersistentVolumeClaim paperless-ngx/paperless-rpi-consume (v1) missing": (
        "the other document of that SOPS file"
    ),
    "pv-browser: Middleware pv-browser/lan-only (traefik.io/v1alpha1) missing": (
        "a SOPS-encrypted Middleware (private source ranges): absent from this checkout"
    ),
    "voice-pipeline-test: Secret voice-pipeline-test/aws-credentials (v1) missing": (
        "a plaintext placeholder Secret in the real repository: fako never writes plaintext Secrets"
    ),
}


def not_exact(results: list[dict[str, object]]) -> list[str]:
    return [
        f"{r['unit']}: {r['object']} {r['verdict']}" for r in results if r["verdict"] not in ("exact", "secret-absent")
    ]


def test_proof_units_are_exact_but_for_the_known_differences(shared: Path, enabled_render: Path) -> None:
    args = [a for u in PROOF_UNITS for a in ("--unit", u)]
    summary, results, _ = parity(shared, enabled_render, *args)
    unexpected = [d for d in not_exact(results) if d not in KNOWN_DIFFERENCES]
    assert not unexpected, "\n".join(unexpected)
    assert "plaintext-secrets 0" in summary


def test_the_whole_cluster_is_at_least_99_5_percent_exact_and_every_difference_is_known(
    shared: Path, full_render: Path
) -> None:
    summary, results, _ = parity(shared, full_render)
    counted = [r for r in results if r["verdict"] != "secret-absent"]
    exact = sum(1 for r in counted if r["verdict"] == "exact")
    assert exact / len(counted) >= 0.995, summary
    assert sorted(not_exact(results)) == sorted(KNOWN_DIFFERENCES), summary
    assert "plaintext-secrets 0" in summary


def test_platform_layers_are_exact(shared: Path, full_render: Path) -> None:
    args = [a for layer in PLATFORM_LAYERS for a in ("--layer", layer)]
    summary, results, _ = parity(shared, full_render, *args)
    assert not not_exact(results), summary + "\n" + "\n".join(not_exact(results))


def test_typed_share_is_at_least_99_percent() -> None:
    rows = json.loads(fako("inspect", "--include-disabled", "--format", "json", check=True).stdout)
    apps = [r for r in rows if r["layer"] == "apps"]
    assert all(r["typed"] for r in apps), [r for r in apps if not r["typed"]]
    assert sum(r["typed"] for r in rows) / len(rows) >= 0.99
    untyped = sorted({r["app"] for r in rows if not r["typed"]})
    assert untyped == ["system-upgrade-controller"], untyped  # the vendored upstream bundle, kept verbatim


def _app_lines() -> ModuleType:
    spec = importlib.util.spec_from_file_location("app_lines", ROOT / "tools" / "app_lines.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_app_python_is_at_most_a_quarter_of_the_yaml_it_replaces(shared: Path) -> None:
    """Code lines (no blanks, comments, docstrings) against the reference YAML, scripts and
    config files carried verbatim counted on neither side (tools/app_lines.py)."""
    rows = _app_lines().measure(shared / "reference" / "fako-cluster" / "apps")
    python = sum(r[1] for r in rows)
    yaml_lines = sum(r[2] for r in rows)
    assert python <= yaml_lines / 4, f"{python} Python lines vs {yaml_lines} YAML lines"


def test_app_lines_counts_private_parts_as_their_app(tmp_path: Path) -> None:
    """`_<module>_<part>.py` and its verbatim files count for the app module with the longest
    matching name; a part of no app counts for nothing."""
    apps, ref = tmp_path / "apps", tmp_path / "ref"
    (apps / "files" / "_demo_x_jobs").mkdir(parents=True)
    ref.mkdir()
    (apps / "__init__.py").write_text("")
    (apps / "demo.py").write_text('"""An app."""\n\nA = 1\n')  # 1 code line
    (apps / "_demo_env.py").write_text('"""Its part."""\n\nB = 2\nC = 3\n# a comment\nD = 4\n')  # 3
    (apps / "demo_x.py").write_text("E = 5\nF = 6\n")  # 2
    (apps / "_demo_x_jobs.py").write_text("G = 7\n")  # 1, demo_x's (not demo's)
    (apps / "files" / "_demo_x_jobs" / "run.sh").write_text("echo a\n\necho b\n")  # 2 verbatim
    (apps / "_orphan_part.py").write_text("H = 8\n")
    (ref / "demo.yaml").write_text("a: 1\n" * 10)
    (ref / "demo-x.yaml").write_text("b: 2\n" * 10)
    assert _app_lines().measure(ref, apps_dir=apps) == [("demo", 4, 10), ("demo-x", 3, 8)]
