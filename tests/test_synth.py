"""`fako synth` end to end: deterministic, atomic, checkable, buildable by kustomize."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

import fako.synth as synth_module
from conftest import BIN, ROOT, fako, kubectl
from fako.synth import recover, swap_in


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_synth_is_byte_for_byte_deterministic(full_render: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert fako("synth", "--include-disabled", "--out", str(again)).returncode == 0
    assert tree(again) == tree(full_render)


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


WATCHER = Path(__file__).parent / "helpers" / "watch_tree.py"
FALLBACK = (
    "import sys, fako.synth as s; s._exchange = lambda a, b: False; "
    "from fako.cli.main import run; sys.exit(run(sys.argv[1:]))"
)
"""Runs fako with renameat2 unavailable, so synth takes its two-rename fallback."""


def hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def previous_render(out: Path) -> None:
    out.mkdir()
    (out / ".fako-render").write_text("This folder is a render made by fako; `fako synth` replaces it whole.\n")
    (out / "previous.yaml").write_text("previous: render\n")


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["renameat2", "fallback"])
def test_a_kill_at_any_moment_leaves_the_old_or_the_new_tree_seen_from_outside(
    mode: str, enabled_render: Path, tmp_path: Path
) -> None:
    """A watcher process samples dist/ from outside while synth runs and is killed at
    random moments: every sample and every state after recovery is the old tree or the
    new one (the fallback's two renames may show dist/ absent for an instant)."""
    out = tmp_path / "dist"

    def previous() -> None:
        # a whole earlier render (one file more than the new one): replacing it in place
        # takes long enough to be seen from outside
        shutil.copytree(enabled_render, out)
        (out / "previous.yaml").write_text("previous: render\n")

    previous()
    old, new = hashes(out), hashes(enabled_render)
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    command = [str(BIN / "fako")] if mode == "renameat2" else [str(BIN / "python"), "-c", FALLBACK]
    rng = random.Random(20261205)
    delays = [*sorted(rng.uniform(0.0, 3.0) for _ in range(5)), 60.0]  # the last one runs to completion
    seen_new = False
    for i, delay in enumerate(delays):
        stop, result = tmp_path / f"stop{i}", tmp_path / f"result{i}.json"
        watcher = subprocess.Popen(
            [
                str(BIN / "python"),
                str(WATCHER),
                str(out),
                str(tmp_path / "old.json"),
                str(tmp_path / "new.json"),
                str(result),
                str(stop),
            ]
        )
        proc = subprocess.Popen(
            [*command, "synth", "--out", str(out)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        time.sleep(0.2)  # the supervised child dies with its parent; let the watcher see the aftermath
        stop.touch()
        watcher.wait(timeout=30)
        report = json.loads(result.read_text())
        assert report["counts"]["other"] == 0, f"half-written dist/ seen from outside ({mode}, {delay:.2f}s): {report}"
        if mode == "renameat2":
            assert report["counts"]["absent"] == 0, f"dist/ was missing for a moment ({delay:.2f}s): {report}"
        recover(out)
        state = hashes(out)
        assert state in (old, new), f"after a kill at {delay:.2f}s and recovery, dist/ is neither tree"
        if state == new:
            seen_new = True
            shutil.rmtree(out)
            previous()
    assert seen_new, "no run completed"
    assert not list(tmp_path.glob(".dist.fako-*")), "leftovers of killed renders were not cleaned"


def test_recover_puts_back_a_dist_left_aside_by_an_interrupted_fallback_swap(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    aside = tmp_path / ".dist.fako-old"  # the fallback renamed dist/ aside, then was killed
    previous_render(aside)
    before = hashes(aside)
    recover(out)
    assert hashes(out) == before and not aside.exists()


def test_the_fallback_swap_keeps_the_old_tree_until_the_new_one_is_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupt the fallback right after its first step: the old tree must still exist."""
    out, new = tmp_path / "dist", tmp_path / ".dist.fako-new-x"
    previous_render(out)
    new.mkdir()
    (new / ".fako-render").write_text("marker\n")
    before = hashes(out)
    monkeypatch.setattr(synth_module, "_exchange", lambda a, b: False)
    calls = []
    real_rename = Path.rename

    def crash_on_second_rename(self: Path, target: Path) -> Path:
        calls.append(self)
        if len(calls) == 2:
            raise KeyboardInterrupt  # stands for a kill between the two renames
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", crash_on_second_rename)
    with pytest.raises(KeyboardInterrupt):
        swap_in(new, out)
    monkeypatch.setattr(Path, "rename", real_rename)
    recover(out)
    assert hashes(out) == before, "the old render was lost before the new one was in place"


def test_out_that_is_not_a_render_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "work"
    out.mkdir()
    (out / "notes.txt").write_bytes(b"my notes\n")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_bytes(b"ref: refs/heads/main\n")
    before = hashes(out)
    proc = fako("synth", "--out", str(out))
    assert proc.returncode == 1
    assert f"--out {out} is not empty (2 entries: .git, notes.txt) and is not a fako render (no .fako-render file)" in (
        proc.stderr
    )
    assert hashes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"], "nothing may be written beside it either"


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (".", "--out . is the checkout"),
        ("..", "--out .. holds the checkout"),
        ("src", "--out src is not empty"),
        ("/", "--out / holds the checkout"),
    ],
)
def test_out_at_the_checkout_or_above_is_refused(out: str, message: str) -> None:
    before = sorted(p.name for p in ROOT.iterdir())
    proc = fako("synth", "--out", out)
    assert proc.returncode == 1 and message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in ROOT.iterdir()) == before


def test_out_through_a_symlink_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    previous_render(real)
    (tmp_path / "link").symlink_to(real)
    proc = fako("synth", "--out", str(tmp_path / "link"))
    assert proc.returncode == 1 and "is a symbolic link" in proc.stderr
    assert (real / "previous.yaml").exists()


def test_an_empty_folder_and_an_earlier_render_are_replaced(enabled_render: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert fako("synth", "-q", "--out", str(empty)).returncode == 0
    assert hashes(empty) == hashes(enabled_render)
    assert (empty / ".fako-render").is_file()


def test_app_file_joins_the_cluster_and_prints_only_its_apps(enabled_render: Path, tmp_path: Path) -> None:
    # whisperx is already a cluster app: the file's copy replaces it, so the tree is the cluster's own
    proc = fako("synth", "--app-file", "src/fako/apps/whisperx.py", "--out", str(tmp_path / "one"))
    assert proc.returncode == 0, proc.stderr
    assert "(with whisperx from src/fako/apps/whisperx.py)" in proc.stderr
    assert hashes(tmp_path / "one") == hashes(enabled_render)
    printed = fako("synth", "--app-file", "src/fako/apps/whisperx.py", "-o", "-")
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.encode() == (enabled_render / "apps" / "whisperx" / "whisperx.yaml").read_bytes()


def test_every_dist_folder_builds_with_kubectl_kustomize(full_render: Path) -> None:
    """Each layer folder builds, and every folder with a kustomization.yaml is reached from
    its layer through `resources` (so the layer builds build every folder, once each)."""
    kubectl_bin = kubectl()
    folders = {p.parent for p in full_render.rglob("kustomization.yaml")}
    layers = sorted(f for f in folders if f.parent == full_render)
    assert [f.name for f in layers] == [
        "apps",
        "flux",
        "infrastructure-configs",
        "infrastructure-controllers",
        "monitoring-configs",
        "monitoring-controllers",
    ]
    reached: set[Path] = set()
    todo = list(layers)
    while todo:
        folder = todo.pop()
        reached.add(folder)
        resources = yaml.safe_load((folder / "kustomization.yaml").read_text())["resources"]
        todo.extend(folder / r for r in resources if (folder / r).is_dir())
    assert sorted(folders - reached) == [], "folders no layer builds"
    layer_objects = 0
    for folder in layers:
        proc = subprocess.run([kubectl_bin, "kustomize", str(folder)], capture_output=True, text=True)
        assert proc.returncode == 0, f"{folder}: {proc.stderr}"
        layer_objects += sum(1 for d in yaml.safe_load_all(proc.stdout) if d)
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


def test_inspect_app_filter_lists_only_that_app() -> None:
    import json

    rows = json.loads(fako("inspect", "--app", "n8n", "--format", "json", check=True).stdout)
    assert rows and {r["app"] for r in rows} == {"n8n"}
    assert {"Namespace", "Deployment"} <= {r["kind"] for r in rows}
    unknown = fako("inspect", "--app", "nope")
    assert unknown.returncode == 2 and "no app named 'nope' in this cluster" in unknown.stderr
