"""Keycloak: the cluster's identity provider (OIDC/SAML) at auth.landryzetam.net.

Two replicas behind traefik (TLS), clustered over JGroups DNS on the headless Service. Realms
live in the `keycloak` database of the shared CNPG cluster, created by an init container (aws-cli +
psql, AWS creds from the local secret store). Reads keycloak/admin-credentials and
auth-service/super-user from AWS. The `dev-*` RoleBindings name namespaces that do not exist.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import env, env_from, resources, secret_key
from fako.constructs.rbac import Role, RoleSpec
from fako.patterns.aws import AwsSecretStore
from fako.patterns.ingress import ingress
from fako.patterns.local_store import LocalSecretStore, LocalSecretStoreSpec
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import bind, rule
from fako.patterns.shared_secrets import PG_HOST, postgres_credentials
from fako.patterns.workload import deployment, port, service, spread_over_nodes
from fako.tree import AppConstruct

NAME = "keycloak"
HOST = "auth.landryzetam.net"
LABELS = {"app": NAME}
CONFIG = {
    "JAVA_OPTS_APPEND": "-Djgroups.dns.query=keycloak-headless.keycloak.svc.cluster.local",
    "KC_CACHE_STACK": "kubernetes", "KC_DB": "postgres", "KC_DB_URL": f"jdbc:postgresql://{PG_HOST}:5432/keycloak",
    "KC_HEALTH_ENABLED": "true", "KC_HOSTNAME": f"https://{HOST}", "KC_HOSTNAME_STRICT": "false",
    "KC_HTTP_ENABLED": "true", "KC_HTTP_MANAGEMENT_PORT": "9000", "KC_METRICS_ENABLED": "true", "KC_PROXY": "edge",
    "KC_PROXY_HEADERS": "xforwarded", "PGHOST": PG_HOST, "PGPORT": "5432",
}
DEV_GRANTS = ("keycloak", "oura-collector", "oura-dashboard", "wger")
"""Service accounts (each in `dev-<name>`) bound to `dev-secrets-reader`."""
ACCOUNTS = (
    ("keycloak-admin-credentials", "keycloak/admin-credentials", "KC_BOOTSTRAP_ADMIN"),
    ("keycloak-postgres-credentials", "auth-service/super-user", "KC_DB"),
)
"""(Secret, AWS key, env prefix): username/password pairs as `<prefix>_USERNAME`/`_PASSWORD`."""
POD_USER = {"fsGroup": 1000, "runAsGroup": 1000, "runAsNonRoot": True, "runAsUser": 1000}
CONFIG_MAPS = ["keycloak-configmap"]
"""`envFrom` ConfigMaps of both containers, before their Secrets."""


class Keycloak(AppConstruct):
    """The Keycloak Deployment with its database-init container, Services and Ingress."""

    name = NAME
    databases = ("keycloak",)

    def build(self) -> None:
        AppNamespace(self)
        LocalSecretStore(self, LocalSecretStoreSpec(app_role=("secrets",), app_verbs=("get", "list"),
                                                    secret_reader=False))
        store = AwsSecretStore(self)
        Role(self, "dev-role", RoleSpec(name="dev-secrets-reader", rules=[rule("", ["secrets"], ["get", "list"])]))
        for sa in DEV_GRANTS:  # each dev namespace's account may read this namespace's Secrets
            bind(self, f"dev-{sa}-secrets-access", role="dev-secrets-reader", account=sa, account_namespace=f"dev-{sa}",
                 cluster=False)
        ConfigMap(self, "config", ConfigMapSpec(name="keycloak-configmap", data=CONFIG))
        service(self, NAME, selector=LABELS, ports=[port("http", 8080, protocol=None)])
        service(self, "keycloak-headless", selector=LABELS, ports=[port("jgroups", 7800)], cluster_ip="None",
                publish_not_ready_addresses=True)
        keycloak = k8s.Container(
            name=NAME, image="quay.io/keycloak/keycloak:26.7.1", args=["start"],
            env=env({f"{p}_{k}": secret_key(s, f"{p}_{k}") for s, _, p in ACCOUNTS for k in ("USERNAME", "PASSWORD")}),
            env_from=env_from(config_maps=CONFIG_MAPS),
            ports=[k8s.ContainerPort(container_port=p, name=n)
                   for n, p in (("http", 8080), ("management", 9000), ("jgroups", 7800))],
            resources=resources(cpu=("100m", "1000m"), memory=("768Mi", "1536Mi")))
        init = k8s.Container(
            name="database-init", image="postgres:17-alpine",
            command=["/bin/sh", "-c", read_file(__file__, "database-init.sh")],
            env_from=env_from("aws-credentials-env", config_maps=CONFIG_MAPS),
            security_context=k8s.SecurityContext(run_as_group=0, run_as_non_root=False, run_as_user=0))
        deployment(self, NAME, selector=LABELS, replicas=2, containers=[keycloak], init_containers=[init],
                   affinity=spread_over_nodes(NAME), security_context=POD_USER, service_account_name=NAME)
        for name, key, prefix in ACCOUNTS:
            shaped = {f"{prefix}_PASSWORD": "{{ .password }}", f"{prefix}_USERNAME": "{{ .username }}"}
            postgres_credentials(store, name, key=key, target=name, env=shaped)
        ingress(self, NAME, hosts=[HOST], service=NAME, port=8080, tls_secret="keycloak-tls-cert")
