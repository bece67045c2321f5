"""Podinfo: imported by `fako import` from helm-output.yaml.

4 objects: 1 Service, 1 Deployment, 1 ServiceAccount, 1 ClusterRole.
Images: ghcr.io/stefanprodan/podinfo:6.7.0.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import exec_probe, resources
from fako.constructs.rbac import ClusterRole, RoleSpec, ServiceAccount, ServiceAccountSpec
from fako.patterns.rbac import rule
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

PODINFO_SELECTOR = {"app.kubernetes.io/name": "podinfo"}
PODINFO_LABELS = {"app.kubernetes.io/name": "podinfo", "helm.sh/chart": "podinfo-6.7.0"}


class Podinfo(AppConstruct):
    """The podinfo app as imported: Deployment podinfo."""

    name = "podinfo"
    external = (("Namespace", "podinfo"),)

    def build(self) -> None:
        deployment(self, "podinfo", selector=PODINFO_SELECTOR, labels=PODINFO_LABELS,
                   strategy=k8s.DeploymentStrategy(type="RollingUpdate",
                                                   rolling_update=k8s.RollingUpdateDeployment(max_unavailable=1)),
                   termination_grace_period_seconds=30,
                   containers=[k8s.Container(
                       name="podinfo", image="ghcr.io/stefanprodan/podinfo:6.7.0", image_pull_policy="IfNotPresent",
                       command=["./podinfo", "--port=9898", "--level=info"],
                       ports=[k8s.ContainerPort(name="http", container_port=9898, protocol="TCP")],
                       liveness_probe=exec_probe(["podcli", "check", "http", "localhost:9898/healthz"], delay=1,
                                                 timeout=5),
                       resources=resources(cpu=("1m", None), memory=("16Mi", None)))])
        service(self, "podinfo", selector=PODINFO_SELECTOR, ports=[port("http", 9898, "http")], labels=PODINFO_LABELS)
        ServiceAccount(self, "podinfo-sa", ServiceAccountSpec(name="podinfo"))
        ClusterRole(self, "podinfo-reader",
                    RoleSpec(name="podinfo-reader", rules=[rule("", ["pods"], ["get", "list"])]))
