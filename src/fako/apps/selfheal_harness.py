"""selfheal-harness: a PERMANENT self-heal fixture, deliberately broken. DO NOT FIX.

`feed-cache` pretends to warm a cache but leaks ~16 MiB every 2 s against a 256Mi limit,
so it is OOM-killed over and over: the self-healing agents are tested against it. Not
exposed, stores nothing, reads no secrets. Marked `fixture` so validators leave it alone.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import resources
from fako.patterns.namespace import AppNamespace, PodSecurity
from fako.patterns.workload import deployment
from fako.tree import AppConstruct

LEAK = """# Warm the decoded-asset cache and hold it hot for the renderer.
import time
cache = []
while True:
    cache.append(bytearray(16 * 1024 * 1024))  # ~16 MiB per warmed batch
    time.sleep(2)
"""


class SelfhealHarness(AppConstruct):
    """The leaking `feed-cache` Deployment (fixture)."""

    name = "selfheal-harness"
    fixture = True

    def build(self) -> None:
        AppNamespace(self, pss=PodSecurity(enforce="restricted"))
        warmer = k8s.Container(
            name="cache-warmer", image="python:3.12-alpine", command=["python", "-u", "-c"], args=[LEAK],
            resources=resources(cpu=("10m", "50m"), memory=("128Mi", "256Mi")),
            security_context=k8s.SecurityContext(allow_privilege_escalation=False,
                                                 capabilities=k8s.Capabilities(drop=["ALL"])))
        deployment(self, "feed-cache", selector={"app": "feed-cache"},
                   labels={"app.kubernetes.io/name": "feed-cache", "app.kubernetes.io/part-of": "feed"},
                   pod_labels={"app": "feed-cache", "app.kubernetes.io/name": "feed-cache"}, containers=[warmer],
                   security_context=k8s.PodSecurityContext(run_as_non_root=True, run_as_user=1000,
                                                           seccomp_profile=k8s.SeccompProfile(type="RuntimeDefault")))
