#!/usr/bin/env python3
"""Benchmark: the memory of `fako watch`'s worker over many re-renders.

    python benchmarks/watch_memory.py [--renders 300]

Drives the worker (fako.watchworker) on a temporary copy of the package: before each
render one app module's image literal is edited, so every render rebuilds that app
(jsii creates its objects again and never frees the old ones) and reuses the rest.
Prints the worker's resident memory every 25 renders and the growth per render; the
growth is what `fako watch --max-rss-mib` bounds by replacing the worker.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "src/fako/apps/linkding.py"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--renders", type=int, default=300)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="fako-watchmem-"))
    try:
        repo = tmp / "repo"
        shutil.copytree(ROOT / "src" / "fako", repo / "src" / "fako", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
        env = {**os.environ, "PYTHONPATH": str(repo / "src"), "XDG_CACHE_HOME": str(tmp / "cache")}
        code = "import sys; from fako.watchworker import serve; serve('staging', sys.argv[1], True)"
        worker = subprocess.Popen(
            [sys.executable, "-c", code, str(tmp / "dist")],
            cwd=repo,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert worker.stdin is not None and worker.stdout is not None
        app = repo / APP
        samples = []
        for i in range(args.renders + 1):
            if i:
                text = app.read_text()
                app.write_text(re.sub(r'(image="[^"]+:)([^"]+)"', rf'\g<1>mem-{i}"', text, count=1))
            worker.stdin.write("render\n")
            worker.stdin.flush()
            answer = json.loads(worker.stdout.readline())
            if answer.get("error") or answer.get("restart"):
                raise SystemExit(f"render {i}: {answer}")
            samples.append((answer["rss_kib"], answer["node_rss_kib"]))
            if i % 25 == 0:
                print(
                    f"render {i:4d}: worker RSS Python {answer['rss_kib'] / 1024:6.1f} MiB, "
                    f"Node {answer['node_rss_kib'] / 1024:6.1f} MiB, {answer['seconds']:.2f}s",
                    flush=True,
                )
        worker.stdin.close()
        worker.wait(timeout=60)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    n = max(1, len(samples) - 2)
    for label, k in (("Python", 0), ("Node", 1)):
        grown = samples[-1][k] - samples[1][k]
        print(
            f"{label} growth after the first re-render: {grown / 1024:.1f} MiB over {n} renders, {grown / n:.0f} KiB each"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
