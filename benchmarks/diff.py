"""Time `fako diff` and `fako publish` on two rendered trees of ~1000 objects each.

Run: .venv/bin/python benchmarks/diff.py [--objects N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from fako.diff import compute, load_dir, load_ref, render
from fako.gitutil import Git
from fako.publish import publish

T = TypeVar("T")


def timed(label: str, fn: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = fn()
    print(f"{label:<34} {(time.perf_counter() - start) * 1000:8.1f} ms")
    return result


def objects(app: int, per_app: int, version: int) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for i in range(per_app):
        # Every tenth object changes between the two versions.
        image = f"ghcr.io/acme/app{app}:{version if i % 10 == 0 else 1}"
        docs.append(
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": f"d{i}", "namespace": f"app{app}", "labels": {"app": f"app{app}"}},
                "spec": {
                    "replicas": 1,
                    "template": {
                        "spec": {
                            "containers": [
                                {
                                    "name": "main",
                                    "image": image,
                                    "env": [{"name": f"VAR{k}", "value": str(k)} for k in range(10)],
                                    "resources": {"limits": {"cpu": "100m", "memory": "128Mi"}},
                                }
                            ]
                        }
                    },
                },
            }
        )
    return docs


def write(root: Path, n_objects: int, version: int) -> Path:
    apps, per_app = 50, max(1, n_objects // 50)
    for app in range(apps):
        folder = root / "apps" / f"app{app}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"app{app}.yaml").write_text(yaml.safe_dump_all(objects(app, per_app, version)))
        (folder / "kustomization.yaml").write_text(f"resources:\n  - app{app}.yaml\n")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--objects", type=int, default=1000)
    n = parser.parse_args().objects
    os.environ.setdefault("GIT_AUTHOR_NAME", "bench")
    os.environ.setdefault("GIT_AUTHOR_EMAIL", "bench@localhost")
    os.environ.setdefault("GIT_COMMITTER_NAME", "bench")
    os.environ.setdefault("GIT_COMMITTER_EMAIL", "bench@localhost")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        old, new = write(root / "old", n, 1), write(root / "new", n, 2)
        repo = root / "repo"
        repo.mkdir()
        for args in (["init", "-q", "-b", "main"], ["commit", "-q", "--allow-empty", "-m", "bench"]):
            subprocess.run(["git", *args], cwd=repo, check=True)

        before = timed("load_dir (old)", lambda: load_dir(old))
        after = timed("load_dir (new)", lambda: load_dir(new))
        print(f"{'objects':<34} {len(before):8d}")
        timed("publish (first, orphan)", lambda: publish(old, repo, remote=None))
        timed("publish (unchanged)", lambda: publish(old, repo, remote=None))
        from_git = timed("load_ref (build)", lambda: load_ref(Git(repo), "build"))
        assert len(from_git) == len(before)
        diff = timed("compute", lambda: compute(before, after))
        print(f"{'summary':<34} {diff.summary()}")
        for fmt in ("text", "markdown", "json"):
            out = timed(f"render {fmt}", lambda fmt=fmt: render(diff, fmt))  # type: ignore[misc]
            print(f"{'  size':<34} {len(out):8d} chars")
        timed("publish (changed)", lambda: publish(new, repo, remote=None))


if __name__ == "__main__":
    main()
