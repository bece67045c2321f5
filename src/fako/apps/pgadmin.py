"""pgAdmin: web admin UI for the shared CloudNative-PG cluster (`postgres-cluster`).

Exposed at pgadmin.landryzetam.net through traefik; keeps its settings on one 5Gi NFS
claim; pre-registers the cluster (superuser and app user) from `servers.json`; reads the
admin login from AWS (`pgadmin/admin`).
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import config_volume, env_from, mount, pull_secrets, pvc_volume, resources
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

SELECTOR = {"app": "pgadmin"}
CONFIG = {
    "PGADMIN_CONFIG_CONSOLE_LOG_LEVEL": "10", "PGADMIN_CONFIG_ENHANCED_COOKIE_PROTECTION": "False",
    "PGADMIN_CONFIG_MASTER_PASSWORD_REQUIRED": "False", "PGADMIN_CONFIG_SERVER_MODE": "False",
    "PGADMIN_SERVER_JSON_FILE": "/pgadmin4/servers.json",
}


class Pgadmin(AppConstruct):
    """pgAdmin in desktop mode (no master password), one pod running as uid 5050."""

    name = "pgadmin"

    def build(self) -> None:
        AppNamespace(self)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store"))
        servers = {"servers.json": read_file(__file__, "servers.json")}
        ConfigMap(self, "config", ConfigMapSpec(name="pgadmin-config", data={**CONFIG, **servers}))
        service(self, "pgadmin", selector=SELECTOR, ports=[port(None, 80)])
        claim(self, "pgadmin-data", "5Gi", access="ReadWriteOnce")
        pgadmin = k8s.Container(
            name="pgadmin", image="dpage/pgadmin4:9.15.0",
            env_from=env_from("pgadmin-secret", config_maps=["pgadmin-config"]),
            ports=[k8s.ContainerPort(container_port=80, protocol="TCP")],
            resources=resources(cpu=("50m", "300m"), memory=("128Mi", "256Mi")),
            volume_mounts=[mount("pgadmin-data", "/var/lib/pgadmin"),
                           mount("servers-config", "/pgadmin4/servers.json", read_only=True, sub_path="servers.json")])
        servers_volume = config_volume("servers-config", "pgadmin-config",
                                       items=[k8s.KeyToPath(key="servers.json", path="servers.json")])
        deployment(self, "pgadmin", selector=SELECTOR, containers=[pgadmin],
                   image_pull_secrets=pull_secrets("dockerhub-registry"),
                   security_context={"fsGroup": 5050, "runAsGroup": 5050, "runAsNonRoot": True, "runAsUser": 5050},
                   volumes=[pvc_volume("pgadmin-data", "pgadmin-data"), servers_volume])
        admin = {"PGADMIN_DEFAULT_EMAIL": "pgadmin/admin#email", "PGADMIN_DEFAULT_PASSWORD": "pgadmin/admin#password"}
        store.secret("pgadmin-config-external-secret", admin, target="pgadmin-secret")
        ingress(self, "pgadmin", hosts=["pgadmin.landryzetam.net"], service="pgadmin", port=80,
                tls_secret="pgadmin-tls-cert")
