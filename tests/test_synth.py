"""`fako synth` end to end: deterministic, atomic, checkable, buildable by kustomize."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from conftest import BIN, ROOT, fako, kubectl


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_synth_is_byte_for_byte_deterministic(full_render: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert fako("synth", "--include-disabled", "--out", str(again)).returncode == 0
    assert tree(again) == tree(full_render)


def test_committed_dist_equals_a_fresh_synth() -> None:
    proc = fako("synth", "--check")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_check_lists_stale_files_and_writes_nothing(enabled_render: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    shutil.copytree(enabled_render, out)
    (out / "apps" / "stale.yaml").write_text("old: file\n")
    first = next(out.glob("apps/*/*.yaml"))
    first.write_text(first.read_text() + "# edited\n")
    before = tree(out)
    proc = fako("synth", "--check", "--out", str(out))
    assert proc.returncode == 1
    assert "apps/stale.yaml" in proc.stdout and str(first.relative_to(out)) in proc.stdout
    assert tree(out) == before


def test_synth_removes_stale_files(enabled_render: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    shutil.copytree(enabled_render, out)
    (out / "apps" / "stale.yaml").write_text("old: file\n")
    assert fako("synth", "--out", str(out)).returncode == 0
    assert tree(out) == tree(enabled_render)


def test_no_node_banner_and_a_summary_on_stderr(tmp_path: Path) -> None:
    proc = fako("synth", "--out", str(tmp_path / "d"))
    assert proc.returncode == 0
    assert proc.stdout == ""
    # every line on stderr is fako's own: its summary, or the list of absent encrypted files
    foreign = [line for line in proc.stderr.splitlines() if not line.startswith(("fako: ", "  "))]
    assert foreign == []
    assert "end-of-life" not in proc.stderr.lower() and "jsii" not in proc.stderr.lower()
    assert "fako: rendered" in proc.stderr


def test_sigkill_at_any_moment_leaves_the_previous_dist_intact(enabled_render: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    (out / "previous.yaml").write_text("previous: render\n")
    old = tree(out)
    new = tree(enabled_render)
    for delay in (0.05, 0.2, 0.4, 0.6, 0.8, 1.0, 1.3, 1.7, 2.2):
        proc = subprocess.Popen(
            [str(BIN / "fako"), "synth", "--out", str(out)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert tree(out) in (old, new), f"dist/ half-written after SIGKILL at {delay}s"
        if tree(out) == new:
            shutil.rmtree(out)
            out.mkdir()
            (out / "previous.yaml").write_text("previous: render\n")
    assert fako("synth", "--out", str(out)).returncode == 0
    assert tree(out) == new
    assert not list(tmp_path.glob(".dist.fako-*")), "leftovers of killed renders were not cleaned"


def test_app_file_renders_one_app_standalone(tmp_path: Path) -> None:
    proc = fako("synth", "--app-file", "src/fako/apps/whisperx.py", "--out", str(tmp_path / "one"))
    assert proc.returncode == 0, proc.stderr
    files = tree(tmp_path / "one")
    assert sorted(files) == [
        "apps/kustomization.yaml",
        "apps/whisperx/kustomization.yaml",
        "apps/whisperx/whisperx.yaml",
    ]


def test_every_dist_folder_builds_with_kubectl_kustomize(full_render: Path) -> None:
    kubectl_bin = kubectl()
    folders = sorted(p.parent for p in full_render.rglob("kustomization.yaml"))
    assert folders
    layer_objects = 0
    for folder in folders:
        proc = subprocess.run([kubectl_bin, "kustomize", str(folder)], capture_output=True, text=True)
        assert proc.returncode == 0, f"{folder}: {proc.stderr}"
        docs = [d for d in yaml.safe_load_all(proc.stdout) if d]
        if folder.parent == full_render:
            layer_objects += len(docs)
    rendered = sum(
        1
        for p in full_render.rglob("*.yaml")
        if p.name != "kustomization.yaml"
        for d in yaml.safe_load_all(p.read_text())
        if d
    )
    assert layer_objects == rendered


def test_every_core_document_passes_strict_kubernetes_schemas(full_render: Path) -> None:
    from fako.validation.schemas import SchemaSet  # kubernetes-validate's schemas, validators cached

    schemas = SchemaSet.for_version("1.34")
    failures = []
    for path in sorted(full_render.rglob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and schemas.is_builtin(doc["apiVersion"]):
                errors = schemas.errors({k: v for k, v in doc.items() if k != "sops"})
                if errors:
                    failures.append(f"{path}: {doc['kind']}/{doc['metadata']['name']}: {errors[0].message}")
    assert not failures, "\n".join(failures[:20])


def test_shared_validate_manifests_passes_on_dist(full_render: Path, shared: Path) -> None:
    proc = subprocess.run(
        [
            str(BIN / "python"),
            str(shared / "tools" / "validate_manifests.py"),
            "--skip",
            "kustomize.config.k8s.io/v1beta1/Kustomization",
            str(full_render),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


@pytest.mark.skipif(os.environ.get("FAKO_SKIP_SLOW") == "1", reason="slow")
def test_inspect_json_has_the_documented_keys() -> None:
    import json

    proc = fako("inspect", "--format", "json")
    rows = json.loads(proc.stdout)
    assert rows and set(rows[0]) == {
        "layer",
        "app",
        "kind",
        "namespace",
        "name",
        "construct_path",
        "construct_class",
        "typed",
    }
    assert all(isinstance(r["typed"], bool) for r in rows)
