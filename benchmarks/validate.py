"""How long the validation engine takes over ~1,000 representative objects.

    .venv/bin/python benchmarks/validate.py [--apps 250]

Each app is a Namespace, a Deployment, a Service and a ConfigMap. Prints ms/object for
strict schema validation (first run builds the validators, later runs reuse them), for
`kubernetes_validate.validate()` on a sample (what the cache avoids), and for the whole
engine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import kubernetes_validate

from fako.rendered import RenderedObject
from fako.validation import ClusterFacts, SchemaSet, validate
from fako.validation.schemas import check_schemas


def _app(i: int) -> list[dict[str, Any]]:
    name, ns = f"app{i}", f"ns{i}"
    labels = {"app.kubernetes.io/name": name}
    probe = {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10}
    return [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}},
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns, "labels": labels},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": labels},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {
                        "securityContext": {"runAsNonRoot": True, "runAsUser": 1000},
                        "containers": [
                            {
                                "name": name,
                                "image": f"ghcr.io/fako/{name}:1.{i}.0",
                                "ports": [{"name": "http", "containerPort": 8080}],
                                "env": [
                                    {"name": "MODE", "value": "production"},
                                    {"name": "TOKEN", "valueFrom": {"configMapKeyRef": {"name": name, "key": "token"}}},
                                ],
                                "envFrom": [{"configMapRef": {"name": name}}],
                                "resources": {
                                    "requests": {"cpu": "10m", "memory": "32Mi"},
                                    "limits": {"memory": "128Mi"},
                                },
                                "livenessProbe": probe,
                                "readinessProbe": probe,
                                "volumeMounts": [{"name": "config", "mountPath": "/etc/app"}],
                            }
                        ],
                        "volumes": [{"name": "config", "configMap": {"name": name}}],
                    },
                },
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


def build(apps: int) -> list[RenderedObject]:
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
        for manifest in _app(i)
    ]


def _time(action: Callable[[], object], runs: int = 7) -> tuple[float, float]:
    """(first run, median of the later runs) in seconds; later runs reuse the caches."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apps", type=int, default=250, help="apps to build (4 objects each)")
    args = parser.parse_args()
    objects = build(args.apps)
    n = len(objects)
    facts = ClusterFacts()

    start = time.perf_counter()
    SchemaSet.for_version(facts.kubernetes_version)
    load = time.perf_counter() - start
    first, warm = _time(lambda: list(check_schemas(objects, facts.kubernetes_version)))
    sample = objects[:40]
    start = time.perf_counter()
    for obj in sample:
        kubernetes_validate.validate(obj.manifest, facts.kubernetes_version, strict=True)
    uncached = (time.perf_counter() - start) / len(sample)
    engine_first, engine = _time(lambda: validate(objects, facts))
    report = validate(objects, facts)

    print(f"{n} objects ({args.apps} apps: Namespace, Deployment, Service, ConfigMap)")
    print(f"load _definitions.json once:            {load * 1000:7.1f} ms")
    print(f"schemas, first run (builds validators): {first / n * 1000:7.3f} ms/object")
    print(f"schemas, cached validators:             {warm / n * 1000:7.3f} ms/object")
    print(f"kubernetes_validate.validate() sample:  {uncached * 1000:7.3f} ms/object")
    print(f"whole engine (schemas + all checks):    {engine / n * 1000:7.3f} ms/object ({engine:.2f} s)")
    print(
        f"whole engine without schemas:           {_time(lambda: validate(objects, facts, schemas=False))[1] / n * 1000:7.3f} ms/object"
    )
    print(f"first engine run:                       {engine_first:.2f} s; {report.summary()}")


if __name__ == "__main__":
    main()
