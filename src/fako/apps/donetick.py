"""Donetick: a self-hosted household task and chore manager.

Exposed at donetick.fako-cluster.local through an `nginx` Ingress (a class the cluster does
not run, with the staging issuer); keeps its SQLite database and uploads on a 1Gi NFS
claim; configured by the `selfhosted.yaml` ConfigMap. Pulls with `dockerhub-registry`,
a Secret nothing in git creates.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import config_volume, env, mount, pull_secrets, pvc_volume, resources
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

LABELS = {"app": "donetick"}


class Donetick(AppConstruct):
    """One Donetick pod on SQLite."""

    name = "donetick"
    external = (("Secret", "dockerhub-registry"),)

    def build(self) -> None:
        AppNamespace(self, pss=None)
        config = {"selfhosted.yaml": read_file(__file__, "selfhosted.yaml")}
        ConfigMap(self, "config", ConfigMapSpec(name="donetick-config", data=config))
        service(self, "donetick", selector=LABELS, ports=[port(None, 2021, protocol=None)])
        claim(self, "donetick-data-pvc", "1Gi", access="ReadWriteOnce")
        deployment(
            self, "donetick", selector=LABELS, restart_policy="Always",
            image_pull_secrets=pull_secrets("dockerhub-registry"),
            volumes=[pvc_volume("donetick-data", "donetick-data-pvc"),
                     config_volume("donetick-config", "donetick-config")],
            containers=[k8s.Container(
                name="donetick", image="donetick/donetick:v0.1.75",
                env=env({"DT_ENV": "selfhosted", "DT_SQLITE_PATH": "/donetick-data/donetick.db",
                         "DT_FEATURES_REALTIME_SYNC": "false", "DT_REALTIME_ENABLED": "false",
                         "DT_REALTIME_MAXCONNECTIONS": "100", "DT_REALTIME_CONNECTIONTIMEOUT": "30"}),
                ports=[k8s.ContainerPort(container_port=2021)],
                resources=resources(cpu=("250m", "500m"), memory=("256Mi", "512Mi")),
                security_context=k8s.SecurityContext(allow_privilege_escalation=False),
                volume_mounts=[mount("donetick-data", "/donetick-data"), mount("donetick-config", "/config")])])
        ingress(self, "donetick", hosts=["donetick.fako-cluster.local"], service="donetick", port=2021,
                issuer="letsencrypt-staging", tls_secret="donetick-tls", ingress_class="nginx",
                annotations={"nginx.ingress.kubernetes.io/proxy-body-size": "50m"},
                labels={"app.kubernetes.io/component": "task-management", "app.kubernetes.io/name": "donetick"})
