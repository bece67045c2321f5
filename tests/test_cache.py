"""The render cache: a cached render is byte for byte an uncached one, whatever was edited.

Each test works on a copy of the package (PYTHONPATH points `fako` at it) with a cache
folder of its own, edits the copy, and renders it with the cache and without.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, fako
from test_sops import age_identity, sops_bin


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the checkout's package and pyproject (no secrets folder yet)."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "src" / "fako", copy / "src" / "fako", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def run(copy: Path, cache: Path, *args: str) -> tuple[int, str, str]:
    env = {"PYTHONPATH": str(copy / "src"), "XDG_CACHE_HOME": str(cache), "NO_COLOR": "1"}
    proc = fako(*args, cwd=copy, env=env)
    # the summary line carries the time taken: the rest must match exactly
    stderr = re.sub(r" in \d+\.\d+s", " in Ns", proc.stderr)
    return proc.returncode, proc.stdout, stderr


def both(copy: Path, cache: Path, step: int, fresh_from: int | None = None) -> str:
    """Render with and without the cache; both must agree byte for byte. Returns -v output.
    `fresh_from`: nothing changed since that step, whose fresh render stands for this one's."""
    cached, fresh = copy / f"cached{step}", copy / f"fresh{step if fresh_from is None else fresh_from}"
    got = run(copy, cache, "synth", "-v", "--out", str(cached))
    if fresh_from is None:
        want = run(copy, cache, "synth", "--no-cache", "-v", "--out", str(fresh))
        (copy / f"fresh{step}.json").write_text(json.dumps(want))
    else:
        want = tuple(json.loads((copy / f"fresh{fresh_from}.json").read_text()))
    assert got[0] == want[0], f"step {step}: exit {got[0]} with the cache, {want[0]} without\n{got[2]}\n{want[2]}"
    keep = [line for line in got[2].splitlines() if "from the cache" not in line]
    assert keep == [line.replace(str(fresh), str(cached)) for line in want[2].splitlines()]
    assert tree(cached) == tree(fresh), f"step {step}: the cached render differs from a fresh one"
    return got[2]


def sops_secret(tmp: Path, name: str, namespace: str, value: str) -> bytes:
    """A Secret really encrypted with sops (an age key made for the test)."""
    sops = sops_bin()
    key, public = age_identity(tmp)
    plain = tmp / "plain.yaml"
    plain.write_text(
        f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: {namespace}\n"
        f"stringData:\n  token: {value}\n"
    )
    env = {**os.environ, "SOPS_AGE_KEY_FILE": str(key)}
    command = [sops, "--encrypt", "--age", public, "--encrypted-regex", "^(data|stringData)$", str(plain)]
    return subprocess.run(command, check=True, capture_output=True, env=env).stdout


def edit_image(copy: Path, rng: random.Random) -> None:
    apps = sorted(p for p in (copy / "src/fako/apps").glob("*.py") if re.search(r'image="[^"]+:[^"]+"', p.read_text()))
    module = rng.choice(apps)
    text = module.read_text()
    module.write_text(re.sub(r'(image="[^"]+:)([^"]+)"', rf'\g<1>edited-{rng.randrange(1000)}"', text, count=1))


def edit_script(copy: Path, rng: random.Random) -> None:
    scripts = sorted(p for p in (copy / "src/fako/apps/files").rglob("*.sh"))
    script = rng.choice(scripts)
    script.write_text(script.read_text() + f"# edited {rng.randrange(1000)}\n")


def edit_pattern(copy: Path, rng: random.Random) -> None:
    module = copy / "src/fako/patterns/shared_secrets.py"
    text = module.read_text()
    module.write_text(text.replace('PG_HOST = "postgres-cluster-rw.', f'PG_HOST = "pg{rng.randrange(1000)}-rw.', 1))


def edit_secret(copy: Path, rng: random.Random) -> None:
    path = copy / "secrets" / "renovate" / "dockerhub-credentials.sops.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(sops_secret(copy.parent, "dockerhub-credentials", "renovate", f"v{rng.randrange(1000)}"))


def test_cached_and_uncached_renders_are_identical_after_random_edits(checkout: Path, tmp_path: Path) -> None:
    """Nothing changed, then random edits of an app's image literal, a shipped script, a
    shared pattern module and an encrypted file: each render with the cache equals the
    one without, byte for byte (files, exit code, messages)."""
    cache = tmp_path / "cache"
    first = both(checkout, cache, 0)
    assert "reused 0 of" in first  # a cold cache builds every unit
    again = both(checkout, cache, 1, fresh_from=0)
    assert "render unchanged: taken whole from the cache" in again
    rng = random.Random(20261206)
    edits = [edit_image, edit_script, edit_pattern, edit_secret]
    rng.shuffle(edits)
    for step, edit in enumerate(edits, start=2):
        edit(checkout, rng)
        output = both(checkout, cache, step)
        assert re.search(r"reused [1-9]\d* of \d+ units from the cache", output), output
        # the units reused were not even imported (fako.unitstubs)
        assert re.search(r"[1-9]\d* unchanged unit modules? not imported", output), output


def test_a_damaged_cache_entry_is_ignored_and_rebuilt(checkout: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    both(checkout, cache, 0)
    entries = sorted(p for p in (cache / "fako").rglob("*") if p.is_file())
    assert entries, "the first render stored nothing"
    for i, entry in enumerate(entries):
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2] + b'"x"' if i % 2 else b"0" * 64 + b"\n" + data[65:])
    output = both(checkout, cache, 1)
    assert "reused 0 of" in output


def test_no_cache_writes_nothing(checkout: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    code, _, err = run(checkout, cache, "synth", "--no-cache", "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert not cache.exists()


def test_the_cache_folder_follows_xdg_cache_home(checkout: Path, tmp_path: Path) -> None:
    cache = tmp_path / "xdg"
    code, _, err = run(checkout, cache, "synth", "--out", str(tmp_path / "out"))
    assert code == 0, err
    kinds = sorted(p.name for p in (cache / "fako").iterdir())
    assert kinds == ["imports", "render", "report", "schema", "unit", "units"]
    assert os.stat(cache / "fako" / "unit").st_mode & 0o077 == 0
