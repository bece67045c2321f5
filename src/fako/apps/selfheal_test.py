"""selfheal-test: a PERMANENT self-heal fixture, deliberately broken. DO NOT FIX, DO NOT RETIRE.

Six Deployments and one Job each fail in one Kubernetes way (labelled `selfheal.test/mode`):
a missing Secret (CreateContainerConfigError), a crash loop, a missing image, a pod that is
never ready, an OOM kill, an unschedulable pod (nodeSelector on a node that does not exist)
and a failing Job. The self-healing agents are tested against them. Not exposed, stores
nothing; `selfheal-test-missing-secret` is missing on purpose. Marked `fixture` so
validators leave it alone.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs.jobs import Job, JobSpec
from fako.constructs.pods import env_from, exec_probe, resources
from fako.patterns.namespace import AppNamespace, PodSecurity
from fako.patterns.workload import deployment, pod_template
from fako.tree import AppConstruct

BUSYBOX_IMAGE = "busybox:1.37"
SLEEP = ["sh", "-c", "sleep infinity"]
HARDENED = k8s.SecurityContext(allow_privilege_escalation=False, capabilities=k8s.Capabilities(drop=["ALL"]))
POD_SECURITY = k8s.PodSecurityContext(
    run_as_non_root=True, run_as_user=1000, seccomp_profile=k8s.SeccompProfile(type="RuntimeDefault"))
MISSING_SECRET = env_from("selfheal-test-missing-secret")
CRASH = "echo 'selfheal-test: simulating a failing service'; sleep 60; exit 1"
HOG = "import time; time.sleep(20); a = bytearray(48 * 1024 * 1024); time.sleep(3600)"


def _container(name: str, image: str = BUSYBOX_IMAGE, memory: tuple[str, str] = ("8Mi", "32Mi"),
               **fields: Any) -> k8s.Container:
    """A small hardened container; `memory` is (request, limit)."""
    return k8s.Container(name=name, image=image, security_context=HARDENED, **fields,
                         resources=resources(cpu=("5m", "50m"), memory=memory))


BROKEN: list[tuple[str, str, k8s.Container, dict[str, Any]]] = [
    ("configerror", "createcontainerconfigerror",
     _container("needs-missing-secret", command=SLEEP, env_from=MISSING_SECRET), {}),
    ("crashloop", "crashloopbackoff",
     _container("exiter", command=["sh", "-c", CRASH]), {}),
    ("imagepull", "imagepullbackoff", _container("missing", image="lzetam/selfheal-test-does-not-exist:v0"), {}),
    ("notready", "podnotready",
     _container("never-ready", command=SLEEP, readiness_probe=exec_probe(["false"], failures=1, period=30)), {}),
    ("oomkill", "oomkilled",
     _container("memhog", image="python:3.12-alpine", memory=("16Mi", "64Mi"), command=["python", "-c", HOG]), {}),
    ("unschedulable", "pending", _container("never-scheduled", command=SLEEP),
     {"node_selector": {"selfheal.test/nonexistent-node": "true"}}),
]
"""(Deployment name, selfheal.test/mode, its container, extra PodSpec fields)."""


class SelfhealTest(AppConstruct):
    """One broken workload per failure mode (fixture)."""

    name = "selfheal-test"
    fixture = True

    def build(self) -> None:
        AppNamespace(self, pss=PodSecurity(enforce="restricted"))
        for name, mode, container, pod in BROKEN:
            deployment(self, name, labels={"app.kubernetes.io/name": name, "selfheal.test/mode": mode},
                       selector={"app": name}, pod_labels={"app": name, "selfheal.test/mode": mode},
                       containers=[container], security_context=POD_SECURITY, **pod)
        fails = _container("fails", command=["sh", "-c", "echo 'selfheal-test: simulating a failed batch job'; exit 1"])
        Job(self, "jobfail", JobSpec(
            name="jobfail", labels={"app.kubernetes.io/name": "jobfail", "selfheal.test/mode": "failed"},
            backoff_limit=2,
            template=pod_template({"app": "jobfail", "selfheal.test/mode": "failed"}, containers=[fails],
                                  restart_policy="Never", security_context=POD_SECURITY)))
