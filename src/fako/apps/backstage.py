"""Backstage: the developer portal (catalog, scaffolder, Kubernetes view) of the cluster.

Would be exposed at backstage.landryzetam.net through traefik (TLS from the non-existent
issuer `letsencrypt-prod`, as in git); sign-in is Keycloak OIDC only. Installed from the
upstream chart (1.x, `:latest` image) with the chart's own PostgreSQL off: the catalog
lives in the `backstage` database of the shared CloudNative-PG cluster (one schema per
plugin, since its user may not create databases). Reads the database login
(`/fako/backstage/postgres`) and the OIDC client (`/fako/backstage/keycloak-oidc`) from
AWS. Switched off in the cluster; were it on, its pod would not start: it takes env from
`backstage-github-credentials`, a Secret nothing creates.
"""

from __future__ import annotations

import yaml

from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.helm import HelmApp, HelmAppSpec, image_values
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import grant, rule
from fako.tree import AppConstruct

HOST = "backstage.landryzetam.net"
BACKSTAGE_IMAGE = "ghcr.io/backstage/backstage:latest"
READ = {  # what the Kubernetes plugin shows, cluster-wide
    "": ["pods", "pods/log", "services", "configmaps", "namespaces", "nodes", "persistentvolumeclaims", "events"],
    "apps": ["deployments", "replicasets", "statefulsets", "daemonsets"],
    "batch": ["jobs", "cronjobs"],
    "networking.k8s.io": ["ingresses"],
    "autoscaling": ["horizontalpodautoscalers"],
}
OIDC = {"AUTH_OIDC_CLIENT_ID": "client_id", "AUTH_OIDC_CLIENT_SECRET": "client_secret",
        "AUTH_OIDC_METADATA_URL": "metadata_url", "BACKEND_SECRET": "backend_secret"}
POSTGRES = {"POSTGRES_HOST": "host", "POSTGRES_PORT": "port", "POSTGRES_USER": "username",
            "POSTGRES_PASSWORD": "password"}
"""`backstage-postgres-secret`: env name to `/fako/backstage/postgres` property."""
ENV_SECRETS = ["backstage-postgres-secret", "backstage-keycloak-secret", "backstage-github-credentials"]


class Backstage(AppConstruct):
    """The Backstage chart, its app-config, the OIDC and database secrets, the cluster reader and the Ingress.

    `app-config.yaml` is written once (`files/backstage/`): the ConfigMap carries it as text
    (no pod mounts it) and the chart gets the same document as `backstage.appConfig`.
    """

    name = "backstage"
    databases = ("backstage",)
    external = (("ServiceAccount", "backstage"), ("Service", "backstage"))  # made by the chart

    def build(self) -> None:
        AppNamespace(self, pss=None, labels={"app.kubernetes.io/name": "backstage",
                                             "app.kubernetes.io/part-of": "developer-portal"})
        grant(self, account="backstage", role="backstage-kubernetes-reader", make_account=False,
              rules=[rule(group, kinds, ["get", "list", "watch"]) for group, kinds in READ.items()])
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store"))
        store.secret("backstage-keycloak-secret", {k: f"/fako/backstage/keycloak-oidc#{p}" for k, p in OIDC.items()})
        store.secret("backstage-postgres-credentials", {p: f"/fako/backstage/postgres#{p}" for p in POSTGRES.values()},
                     target="backstage-postgres-secret",
                     template={"type": "Opaque", "data": {k: f"{{{{ .{p} }}}}" for k, p in POSTGRES.items()}})
        app_config = read_file(__file__, "app-config.yaml")
        ConfigMap(self, "app-config", ConfigMapSpec(name="backstage-app-config", data={"app-config.yaml": app_config}))
        HelmApp(self, HelmAppSpec(
            name="backstage", chart="backstage", url="https://backstage.github.io/charts",
            # renovate: datasource=helm depName=backstage registryUrl=https://backstage.github.io/charts
            version="1.x",
            repo_interval="1h", timeout=None, crds=None, retries=None, values={
                "backstage": {
                    "appConfig": yaml.safe_load(app_config),
                    "extraEnvVars": [{"name": "NODE_OPTIONS", "value": "--max-old-space-size=4096"}],
                    "extraEnvVarsSecrets": ENV_SECRETS,
                    "image": image_values(BACKSTAGE_IMAGE),
                    "resources": {"limits": {"cpu": "2", "memory": "2Gi"},
                                  "requests": {"cpu": "500m", "memory": "1Gi"}}},
                "ingress": {"enabled": False}, "postgresql": {"enabled": False},
                "service": {"ports": {"backend": 7007}, "type": "ClusterIP"}}))
        ingress(self, "backstage", hosts=[HOST], service="backstage", port=7007, issuer="letsencrypt-prod",
                tls_secret="backstage-tls", annotations={"traefik.ingress.kubernetes.io/router.entrypoints": "websecure",
                                                         "traefik.ingress.kubernetes.io/router.tls": "true"})
