"""How long `fako validate` takes per object, by engine stage, on the real cluster.

    .venv/bin/python benchmarks/validate.py [--runs 5] [--dir DIR] [--synthetic APPS]

Renders the staging cluster with its switched-off apps in-process (what `fako validate
--include-disabled` checks; with `--dir`, a rendered tree read back as `fako validate DIR`
reads it), then runs `fako.checks.run_validation` over it `--runs` times. Imports, the
build and the render are not timed: only the validation. Every stage of
`fako.validation.engine.validate` (each `check_*` function it calls, the Inventory, the
list expansion and the allow-list) is timed on its own by wrapping it for the run, so a
stage added to the engine shows up here without a change.

Prints, per stage, the first run (cold: schema validators are built, patterns compiled)
and the best of the runs (warm), in ms and ms/object; the budget is 1 ms/object of check
time on the whole cluster (best of the runs).

`--synthetic APPS` checks APPS made-up apps (a Namespace, Deployment, Service and
ConfigMap each) instead of the cluster, with the default facts, and also times
`kubernetes_validate.validate()` on a sample (what fako's validator cache avoids).
"""

from __future__ import annotations

import argparse
import gc
import inspect
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import kubernetes_validate

from fako.checks import facts_for, run_validation
from fako.definition import build
from fako.render import render
from fako.rendered import RenderedObject
from fako.synth import load_definition
from fako.validation import ClusterFacts, Report, engine, load_tree

BUDGET_MS = 1.0
"""Check time per object the whole cluster must stay within (best of the runs)."""

_ALSO_TIMED = ("expand_lists", "Inventory", "_apply_allow_list")
"""Engine stages that are not `check_*` functions."""


class StageClock:
    """Times every stage `engine.validate` calls, while `installed`: each stage's function in
    the engine module is replaced by one that runs it to completion (a generator is drained
    into a list) and adds the time to `spent[name]`."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self._saved: dict[str, Any] = {}

    def stages(self) -> list[str]:
        names = [n for n, v in vars(engine).items() if n.startswith("check_") and callable(v)]
        return [*names, *(n for n in _ALSO_TIMED if hasattr(engine, n))]

    def _timed(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            result = func(*args, **kwargs)
            if isinstance(result, Iterator):
                result = list(result)
            self.spent[name] += time.perf_counter() - start
            return result

        return run

    def __enter__(self) -> StageClock:
        for name in self.stages():
            self._saved[name] = getattr(engine, name)
            setattr(engine, name, self._timed(name, self._saved[name]))
        return self

    def __exit__(self, *exc: object) -> None:
        for name, func in self._saved.items():
            setattr(engine, name, func)
        self._saved.clear()


def _order(names: Sequence[str]) -> list[str]:
    """Stages in the order `engine.validate` calls them (its source), unknown ones last."""
    source = inspect.getsource(engine.validate)
    return sorted(names, key=lambda n: (source.find(f"{n}(") if f"{n}(" in source else len(source), n))


def timed_runs(
    objects: Sequence[RenderedObject], facts: ClusterFacts, runs: int, complete: bool
) -> tuple[list[dict[str, float]], Report]:
    """Per run: seconds per stage plus `total` (the whole `run_validation` call)."""
    results: list[dict[str, float]] = []
    report = Report()
    for _ in range(runs):
        gc.collect()  # each run starts without the previous run's garbage
        with StageClock() as clock:
            start = time.perf_counter()
            report = run_validation(objects, facts, complete=complete)
            total = time.perf_counter() - start
        results.append({**clock.spent, "total": total})
    return results, report


def table(results: Sequence[dict[str, float]], n: int) -> list[str]:
    """Per stage: the first run (cold: validators built, patterns compiled) and the fastest
    run (warm), whose stages add up to its total; `other` is the rest of that total
    (sorting the findings, building the report)."""
    first = results[0]
    best = min(results, key=lambda r: r["total"])
    stages = _order([k for k in first if k != "total"])

    def row(name: str, cold: float, warm: float) -> str:
        return f"  {name:<28} {cold * 1000:9.1f} {warm * 1000:9.1f} {warm * 1000 / n:10.4f}"

    lines = [f"  {'stage':<28} {'first ms':>9} {'best ms':>9} {'ms/object':>10}"]
    for name in stages:
        lines.append(row(name, first.get(name, 0.0), best.get(name, 0.0)))
    other_cold = first["total"] - sum(first.get(s, 0.0) for s in stages)
    other_warm = best["total"] - sum(best.get(s, 0.0) for s in stages)
    lines.append(row("other (sort, report)", other_cold, other_warm))
    lines.append(row("total", first["total"], best["total"]))
    return lines


def _synthetic_app(i: int) -> list[dict[str, Any]]:
    name, ns = f"app{i}", f"ns{i}"
    labels = {"app.kubernetes.io/name": name}
    probe = {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10}
    container = {
        "name": name,
        "image": f"ghcr.io/fako/{name}:1.{i}.0",
        "ports": [{"name": "http", "containerPort": 8080}],
        "env": [
            {"name": "MODE", "value": "production"},
            {"name": "TOKEN", "valueFrom": {"configMapKeyRef": {"name": name, "key": "token"}}},
        ],
        "envFrom": [{"configMapRef": {"name": name}}],
        "resources": {"requests": {"cpu": "10m", "memory": "32Mi"}, "limits": {"memory": "128Mi"}},
        "livenessProbe": probe,
        "readinessProbe": probe,
        "volumeMounts": [{"name": "config", "mountPath": "/etc/app"}],
    }
    pod = {
        "securityContext": {"runAsNonRoot": True, "runAsUser": 1000},
        "containers": [container],
        "volumes": [{"name": "config", "configMap": {"name": name}}],
    }
    return [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}},
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns, "labels": labels},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": labels},
                "template": {"metadata": {"labels": labels}, "spec": pod},
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name, "namespace": ns, "labels": labels},
            "spec": {"selector": labels, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]},
        },
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": ns},
            "data": {"token": "not-secret", "LOG_LEVEL": "info"},
        },
    ]


def synthetic(apps: int) -> list[RenderedObject]:
    """`apps` made-up apps of four objects each."""
    return [
        RenderedObject(
            layer="apps",
            app=f"app{i}",
            manifest=manifest,
            path=f"apps/app{i}/{manifest['kind'].lower()}.yaml",
            construct_path=f"cluster/apps/app{i}",
            construct_class="WebService",
            source="benchmarks/validate.py:1",
        )
        for i in range(apps)
        for manifest in _synthetic_app(i)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="validation runs; the best one is reported (default 5)")
    parser.add_argument("--dir", type=Path, help="a rendered tree to check (as `fako validate --include-disabled DIR`)")
    parser.add_argument("--synthetic", type=int, metavar="APPS", help="check APPS made-up apps instead")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    start = time.perf_counter()
    if args.synthetic:
        objects, facts, complete = synthetic(args.synthetic), ClusterFacts(), False
        what = f"{args.synthetic} synthetic apps (Namespace, Deployment, Service, ConfigMap)"
    else:
        definition = load_definition("staging")
        cluster = build(definition, include_disabled=True)
        rendered = render(cluster)
        facts = facts_for(cluster, definition, rendered)
        if args.dir:
            objects, complete = load_tree(args.dir), False
            what = f"the tree in {args.dir} (as `fako validate --include-disabled DIR`)"
        else:
            objects, complete = rendered.objects, True
            what = "the staging cluster with switched-off apps (as `fako validate --include-disabled`)"
    prepared = time.perf_counter() - start

    results, report = timed_runs(objects, facts, args.runs, complete)
    n = report.objects
    best = min(r["total"] for r in results)
    per_object = best * 1000 / n
    print(f"{what}: {n} objects after expanding lists; not timed: build and render ({prepared:.1f} s)")
    print(f"validation, first run and best of {args.runs}:")
    print("\n".join(table(results, n)))
    verdict = "within" if per_object <= BUDGET_MS else "OVER"
    if args.synthetic:
        sample = objects[:40]
        start = time.perf_counter()
        for obj in sample:
            kubernetes_validate.validate(obj.manifest, facts.kubernetes_version, strict=True)
        uncached = (time.perf_counter() - start) * 1000 / len(sample)
        print(f"  kubernetes_validate.validate() without fako's validator cache: {uncached:.3f} ms/object")
    print(
        f"check time: {per_object:.3f} ms/object best, {results[0]['total'] * 1000 / n:.3f} ms/object first run "
        f"({verdict} the {BUDGET_MS:g} ms/object budget); {report.summary()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
