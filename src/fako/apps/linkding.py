"""Linkding: a self-hosted bookmark manager (`sissbruecker/linkding`).

Public at fakocluster.landryzetam.net through its own Cloudflare tunnel; keeps its
sqlite database on a 500Mi NFS claim; reads its env (superuser etc.) from the
SOPS Secret `linkding-container-env`, and the tunnel credentials from SOPS.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env_from, mount, pvc_volume, resources
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec
from fako.patterns.workload import deployment, service
from fako.tree import AppConstruct

APP = {"app": "linkding"}
ROUTE = ("fakocluster.landryzetam.net", "http://linkding:9090")
SECURITY = k8s.PodSecurityContext(fs_group=33, run_as_group=33, run_as_user=33)


class Linkding(AppConstruct):
    """One linkding pod on its data claim, a Service and the tunnel."""

    name = "linkding"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        SopsSecret(self, "env", SopsSecretSpec(name="linkding-container-env"))
        CloudflareTunnel(self, CloudflareTunnelSpec(tunnel="fakocluster", routes=(ROUTE,), style="docs",
                                                    hello_world=True, resources="large"))
        service(self, "linkding", selector=APP, ports=[k8s.ServicePort(port=9090)])
        claim(self, "linkding-data-nfs-pvc", "500Mi", access="ReadWriteOnce")
        container = k8s.Container(
            name="linkding", image="sissbruecker/linkding:1.41.0",
            env_from=env_from("linkding-container-env"),
            ports=[k8s.ContainerPort(container_port=9090)],
            resources=resources(cpu=("250m", "500m"), memory=("128Mi", "256Mi")),
            security_context=k8s.SecurityContext(allow_privilege_escalation=False),
            volume_mounts=[mount("linkding-data", "/etc/linkding/data")])
        deployment(self, "linkding", selector=APP, containers=[container], restart_policy="Always",
                   security_context=SECURITY, volumes=[pvc_volume("linkding-data", "linkding-data-nfs-pvc")])
