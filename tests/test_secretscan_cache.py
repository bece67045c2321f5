"""`fako.secretscan.remember_patterns`: detect-secrets' patterns kept in the cache, so a
render that reuses its units does not import detect-secrets."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"

SCRIPT = """
import sys
from pathlib import Path
from fako.cachestore import CacheStore
from fako import secretscan
secretscan.remember_patterns(CacheStore(Path(sys.argv[1])))
print("imported" if "detect_secrets" in sys.modules else "not imported")
print(secretscan.secret_kinds(sys.argv[2]))
"""


def run(cache: Path) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), str(cache), TOKEN],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def entry(cache: Path) -> Path:
    (found,) = [p for p in (cache / "imports").rglob("*") if p.is_file() and not p.name.startswith(".")]
    return found


def test_the_second_run_takes_the_patterns_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert run(cache) == ["imported", "('GitHub Token',)"]
    stored = json.loads(entry(cache).read_bytes().partition(b"\n")[2])
    assert ["GitHub Token", "(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}", 32] in stored
    assert run(cache) == ["not imported", "('GitHub Token',)"]


def test_an_entry_of_the_wrong_shape_is_read_again_from_the_plugins(tmp_path: Path) -> None:
    from fako.cachestore import CacheStore

    cache = tmp_path / "cache"
    run(cache)
    key = entry(cache).name
    CacheStore(cache).write_json("imports", key, [["GitHub Token", "ghp_", "32"]])
    assert run(cache) == ["imported", "('GitHub Token',)"]
    CacheStore(cache).write_json("imports", key, [["Not A Kind", "x", 0]])
    assert run(cache) == ["imported", "('GitHub Token',)"]
    assert run(cache) == ["not imported", "('GitHub Token',)"]
