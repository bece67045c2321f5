"""`fako new app`: an idiomatic module that renders and validates in the whole cluster, or a clear refusal.

The command writes into the source tree it runs from, so these tests run it in a copy of
`src/` (first on PYTHONPATH, ahead of the editable install): the checkout is never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BIN, ROOT, fako
from fako.offtable import add_off, off_names

SHAPES = {
    "hello-web": ["--host", "hello.example.org"],
    "nightly-report": [
        "--schedule", "0 3 * * *", "--aws-secret", "API_TOKEN=nightly-report/api#token",
        "--aws-secret", "WEBHOOK=discord/webhook#reports", "--database", "nightly_report", "--off",
    ],
    "gpu-worker": ["--gpu", "nvidia", "--port", "8000"],
}  # fmt: skip


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the checkout's sources and pyproject, where the three shapes are added."""
    root = tmp_path_factory.mktemp("checkout")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    # The cluster's one GPU is whisperx's (fako refuses a second app on it: see below); in
    # this copy whisperx is gone, so the new GPU app has the pool to itself.
    (root / "src" / "fako" / "apps" / "whisperx.py").unlink()
    for name, args in SHAPES.items():
        proc = run(root, "new", "app", name, *args)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.startswith(f"fako: added app {name} (switched ")
        assert proc.stderr.rstrip().endswith("rendered and validated clean")
    return root


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "NO_COLOR": "1"}
    return subprocess.run([str(BIN / "fako"), *args], cwd=root, capture_output=True, text=True, check=False, env=env)


def test_each_shape_synths_and_validates_with_no_error(tree: Path) -> None:
    proc = run(tree, "validate", "--include-disabled", "--format", "json")
    report = json.loads(proc.stdout)
    mine = [f for f in report["findings"] if f["app"] in SHAPES]
    assert mine, "expected the GPU app's toleration warning at least"
    assert [f for f in mine if f["severity"] == "error"] == []
    for name in SHAPES:
        proc = run(tree, "synth", "--app", name, "-o", "-")
        assert proc.returncode == 0, proc.stderr
        assert f"namespace: {name}" in proc.stdout


def test_the_modules_use_the_patterns(tree: Path) -> None:
    apps = tree / "src" / "fako" / "apps"
    web = (apps / "hello_web.py").read_text()
    assert "class HelloWeb(AppConstruct):" in web
    for call in (
        "AppNamespace(self)",
        "deployment(",
        "service(self, NAME",
        'ingress(self, NAME, hosts=["hello.example.org"]',
    ):
        assert call in web
    cron = (apps / "nightly_report.py").read_text()
    assert 'databases = ("nightly_report",)' in cron
    assert 'AWS_KEYS = {"API_TOKEN": "nightly-report/api#token", "WEBHOOK": "discord/webhook#reports"}' in cron
    for call in (
        "store = AwsSecretStore(self)",
        'store.secret("nightly-report-secrets", AWS_KEYS)',
        "cronjob(",
        '"0 3 * * *"',
        "postgres_credentials(store)",
        '"DATABASE_HOST": PG_HOST',
    ):
        assert call in cron
    gpu = (apps / "gpu_worker.py").read_text()
    assert "gpu = NVIDIA.request(1, host_ipc=False)" in gpu and "**gpu.pod_fields()" in gpu
    assert 'limits=gpu.limits(memory="512Mi")' in gpu


def test_off_is_edited_in_place_and_kept_sorted(tree: Path) -> None:
    before = (ROOT / "src" / "fako" / "clusters" / "staging_apps.py").read_text().splitlines()
    after = (tree / "src" / "fako" / "clusters" / "staging_apps.py").read_text().splitlines()
    added = [line for line in after if line not in before]
    assert added == ['        "nightly-report",']
    assert [line for line in after if line != added[0]] == before
    names = off_names("\n".join(after))
    assert names == sorted(names)
    proc = run(tree, "apps", "--app", "nightly-report", "--format", "json")
    assert json.loads(proc.stdout)[0]["enabled"] is False


def test_ruff_and_mypy_pass_on_the_generated_modules(tree: Path) -> None:
    files = [f"src/fako/apps/{n.replace('-', '_')}.py" for n in SHAPES]
    ruff = subprocess.run([str(BIN / "ruff"), "check", *files], cwd=tree, capture_output=True, text=True, check=False)
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tree / ".mypy_cache"), *files],
        cwd=tree, capture_output=True, text=True, check=False, env={**os.environ, "PYTHONPATH": str(tree / "src")},
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["blog"], "cannot add the app: src/fako/apps/blog.py exists already"),
        (["My_App"], "app name 'My_App' must be a lowercase RFC 1123 label"),
        (["9lives"], "app name '9lives' must start with a letter (it names a Python module)"),
        (["blog2", "--host", "blog.landryzetam.net"], "host 'blog.landryzetam.net' is claimed by app 'blog'"),
        (["oura2", "--database", "oura"], "database 'oura' is owned by app 'oura-collector'"),
        (["cron2", "--schedule", "every day"], "--schedule 'every day' is not a cron schedule"),
        (["web2", "--aws-secret", "TOKEN"], "--aws-secret 'TOKEN': write it as ENV=aws/key#property"),
        (["web3", "--gpu", "aitower"], "--gpu 'aitower': that pool is retired (its nodes left); use nvidia"),
        (["web4", "--image", "nginx latest"], "--image 'nginx latest' is not an image reference"),
    ],
)
def test_refusals_say_why_and_write_nothing(args: list[str], message: str) -> None:
    before = sorted(p.name for p in (ROOT / "src" / "fako" / "apps").iterdir() if p.name != "__pycache__")
    proc = fako("new", "app", *args)
    assert proc.returncode in (1, 2)
    assert message in proc.stderr
    assert sorted(p.name for p in (ROOT / "src" / "fako" / "apps").iterdir() if p.name != "__pycache__") == before


def test_a_render_failure_puts_the_files_back(tmp_path: Path) -> None:
    root = tmp_path / "checkout"
    root.mkdir()
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    table = (root / "src" / "fako" / "clusters" / "staging_apps.py").read_text()
    # namespace `postgres` is postgres-cluster's: the new app's Namespace clashes with it in the render
    proc = run(root, "new", "app", "postgres", "--off")
    assert proc.returncode == 1
    assert "the new app does not render clean (its files are put back):" in proc.stderr
    assert "identity.duplicate" in proc.stderr
    assert not (root / "src" / "fako" / "apps" / "postgres.py").exists()
    assert (root / "src" / "fako" / "clusters" / "staging_apps.py").read_text() == table


def test_add_off_places_a_name_in_order() -> None:
    source = 'x = 1\nOFF = frozenset(\n    {\n        "alpha",\n        "gamma",\n    }\n)\n\nAPPS = 2\n'
    assert add_off(source, "beta") == (
        'x = 1\nOFF = frozenset(\n    {\n        "alpha",\n        "beta",\n        "gamma",\n    }\n)\n\nAPPS = 2\n'
    )
    assert add_off(source, "zeta").count('"zeta"') == 1
    assert add_off(source, "alpha") == source
    with pytest.raises(Exception, match="add 'beta' to OFF by hand"):
        add_off("OFF = frozenset({'a'})\n", "beta")


def test_a_second_app_on_the_clusters_one_gpu_is_refused_and_put_back(tmp_path: Path) -> None:
    root = tmp_path / "checkout"
    root.mkdir()
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    before = sorted(p.name for p in (root / "src" / "fako" / "apps").iterdir() if p.name != "__pycache__")
    proc = run(root, "new", "app", "gpu-worker", "--gpu", "nvidia", "--port", "8000")
    assert proc.returncode == 1
    assert "node.capacity" in proc.stderr and "nvidia-thinkpad02 offer 1" in proc.stderr
    assert "Deployment whisperx/whisperx-api" in proc.stderr
    assert sorted(p.name for p in (root / "src" / "fako" / "apps").iterdir() if p.name != "__pycache__") == before
