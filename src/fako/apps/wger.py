"""wger: a self-hosted workout, exercise and nutrition tracker, installed from its Helm chart (0.3.0).

Would be public at trackit.landryzetam.net through its own Cloudflare tunnel `trackit`
(SOPS credentials) to the chart's `wger-http` Service; the chart's traefik Ingress names the
same host. Django keeps its data in the `wger` database of the shared CloudNative-PG cluster,
created by this app's own init Job (TTL 300 s) as the `postgres` superuser, which also makes
the `wger` login a superuser; media on a 10Gi NFS volume, Celery with an in-namespace Redis
(5Gi NFS). Switched off in the cluster. Three owners write Secret `wger-db-credentials`: a
SOPS Secret and two ExternalSecrets (AWS `wger/db-credentials`, one fixing name and user to
`wger`); External Secrets lets one own it and fails the other ("target is owned by
another ExternalSecret").
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import read_file
from fako.constructs.jobs import Job, JobSpec
from fako.constructs.pods import env, secret_key
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.helm import HelmApp, HelmAppSpec, image_values
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import PG_ADMIN, PG_HOST, postgres_credentials
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec, TunnelLayout
from fako.tree import AppConstruct

HOST = "trackit.landryzetam.net"
WGER_IMAGE = "wger/server:latest"
"""The chart's server image; the release sets only its tag."""
DB_KEYS = ("dbname", "dbuser", "dbpw")
T, F = "True", "False"
APP = {
    "axes": {"cooloffTime": "30", "enabled": True, "failureLimit": "10"},
    "django": {"existingDatabase": {
        "enabled": True, "engine": "django.db.backends.postgresql", "host": PG_HOST, "port": 5432,
        "existingSecret": {"name": "wger-db-credentials", **{f"{k}Key": k for k in DB_KEYS}}}},
    "environment": [{"name": k, "value": v} for k, v in (
        ("DJANGO_DEBUG", F), ("WGER_USE_GUNICORN", T), ("EXERCISE_CACHE_TTL", "86400"),
        ("WGER_ALLOW_REGISTRATION", T), ("WGER_ALLOW_GUEST_USERS", T))],
    "global": {"image": {"pullPolicy": "Always", **image_values(WGER_IMAGE, keys=("tag",))}, "replicas": 1},
    "jwt": {"accessTokenLifetime": "10", "refreshTokenLifetime": "24"},
    "mail": {"enabled": False}, "nginx": {"enabled": True},
    "persistence": {"enabled": True, "size": "10Gi", "storageClass": "nfs-csi-v2"},
    "resources": {"limits": {"cpu": "1000m", "memory": "1Gi"}, "requests": {"cpu": "250m", "memory": "256Mi"}},
}
CELERY = {"enabled": True, "flower": {"enabled": False}, "syncExercises": True, "syncImages": True, "syncVideos": True,
          "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}, "requests": {"cpu": "100m", "memory": "256Mi"}}}


class Wger(AppConstruct):
    """The wger chart with the shared database, the database init Job, the tunnel and the secrets."""

    name = "wger"
    external = (("Service", "wger-http"),)  # made by the chart

    def build(self) -> None:
        AppNamespace(self, pss=None)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store"))
        SopsSecret(self, "db-credentials", SopsSecretSpec(name="wger-db-credentials"))
        store.secret("wger-db-credentials-external-secret", {"password": "wger/db-credentials#password"},
                     target="wger-db-credentials", template={"type": "Opaque", "data": {
                         "dbname": "wger", "dbpw": "{{ .password }}", "dbuser": "wger"}})
        store.secret("wger-db-credentials-from-aws", {k: f"wger/db-credentials#{k}" for k in DB_KEYS},
                     target="wger-db-credentials",
                     template={"type": "Opaque", "data": {k: f"{{{{ .{k} }}}}" for k in DB_KEYS}})
        postgres_credentials(store, "postgres-superuser-external-secret", key=PG_ADMIN,
                             target="postgres-cluster-superuser", basic_auth=True)
        Job(self, "db-init", JobSpec(name="wger-db-init", ttl_seconds_after_finished=300, template=k8s.PodTemplateSpec(
            spec=k8s.PodSpec(restart_policy="Never", containers=[k8s.Container(
                name="postgres-init", image="postgres:17-alpine",
                command=["/bin/sh", "-c", read_file(__file__, "postgres-init.sh")],
                env=env({"POSTGRES_PASSWORD": secret_key("postgres-cluster-superuser", "password"),
                         "WGER_PASSWORD": secret_key("wger-db-credentials", "dbpw")}))]))))
        CloudflareTunnel(self, CloudflareTunnelSpec(
            tunnel="trackit", routes=((HOST, "http://wger-http:8000"),), resources="large",
            style=TunnelLayout(blank_before_ingress=True, final_newline=False)))
        HelmApp(self, HelmAppSpec(
            name="wger", chart="wger", url="https://wger-project.github.io/helm-charts",
            # renovate: datasource=helm depName=wger registryUrl=https://wger-project.github.io/helm-charts
            version="0.3.0",
            timeout=None, crds=None, values={
                "app": APP, "celery": CELERY, "postgres": {"enabled": False},
                "ingress": {"enabled": True, "ingressClassName": "traefik", "tls": True, "url": HOST},
                "redis": {"auth": {"enabled": False}, "enabled": True,
                          "storage": {"className": "nfs-csi-v2", "requestedSize": "5Gi"}},
                "service": {"port": 8000, "type": "ClusterIP"}}))
